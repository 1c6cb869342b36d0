// What loading a pipeline needs from the plugin registry. The registry (registry.ts) implements
// it; keeping the need this small lets config loading be tested with a plain list of plugins.
import type { Plugin } from '../plugin.js';

export interface PluginCatalog {
  /** Every registered plugin. */
  list(): readonly Plugin[];
  /** Imports a custom plugin module (path relative to `baseDir`, or a package name) and registers its default export. */
  loadModule(specifier: string, baseDir: string): Promise<unknown>;
}
