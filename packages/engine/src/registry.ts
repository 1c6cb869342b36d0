// The plugin registry: built-in and custom plugins, keyed by (kind, name), held in a tsyringe
// container so the CLI and tests can resolve the registry instead of importing a global.
// A source and a sink may share a name (`ndjson`): the kind is part of the key.

import 'reflect-metadata';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DependencyContainer, type InjectionToken, container as rootContainer } from 'tsyringe';
import { buildCommand, isTypeScriptFile, typeScriptPluginHint } from './build-hint.js';
import { ConfigError } from './errors.js';
import type { Plugin, PluginKind } from './plugin.js';

const KINDS: readonly PluginKind[] = ['source', 'transform', 'sink'];

/** Token the registry is resolved by; no decorators, the factory is registered explicitly. */
export const PLUGIN_REGISTRY: InjectionToken<PluginRegistry> = Symbol('idflow.PluginRegistry');

function pluginToken(kind: PluginKind, name: string): string {
  return `idflow.plugin:${kind}:${name}`;
}

/** Every plugin a run may use. Built-ins are registered by the CLI, custom ones by `loadModule`. */
export class PluginRegistry {
  private readonly names: { [K in PluginKind]: Set<string> } = {
    source: new Set(),
    transform: new Set(),
    sink: new Set(),
  };

  constructor(private readonly container: DependencyContainer) {}

  /** Adds one plugin or several; registering the same object twice is a no-op. */
  register(plugins: Plugin | readonly Plugin[], from = 'plugin'): void {
    const list: readonly unknown[] = Array.isArray(plugins) ? plugins : [plugins];
    list.forEach((candidate, index) => {
      const plugin = assertPlugin(candidate, list.length > 1 ? `${from}[${index}]` : from);
      const token = pluginToken(plugin.kind, plugin.name);
      if (this.container.isRegistered(token)) {
        if (this.container.resolve(token) === plugin) return;
        throw new ConfigError([
          { path: 'plugins', message: `${from}: a ${plugin.kind} plugin named "${plugin.name}" is already registered` },
        ]);
      }
      this.container.register(token, { useValue: plugin });
      this.names[plugin.kind].add(plugin.name);
    });
  }

  /** The plugin `use:`d in a pipeline; throws a ConfigError naming the known plugins of that kind. */
  get<K extends PluginKind>(name: string, kind: K): Extract<Plugin, { kind: K }> {
    const token = pluginToken(kind, name);
    if (!this.container.isRegistered(token)) {
      const known = [...this.names[kind]].sort();
      throw new ConfigError([
        {
          path: kind === 'transform' ? 'transforms' : kind,
          message: `unknown ${kind} plugin "${name}"; known ${kind} plugins: ${known.length ? known.join(', ') : '(none)'}`,
        },
      ]);
    }
    return this.container.resolve<Extract<Plugin, { kind: K }>>(token);
  }

  /** True when a plugin of that kind and name is registered. */
  has(name: string, kind: PluginKind): boolean {
    return this.container.isRegistered(pluginToken(kind, name));
  }

  /** All registered plugins, sources first, then transforms, then sinks, each sorted by name. */
  list(): Plugin[] {
    return KINDS.flatMap((kind) => [...this.names[kind]].sort().map((name) => this.get(name, kind) as Plugin));
  }

  /**
   * Imports a custom plugin module and registers its `default` export (one plugin or an array).
   * `specifier` is a path (relative to `baseDir`), a package directory, or a package name
   * resolved from `baseDir` the way Node resolves imports.
   */
  async loadModule(specifier: string, baseDir: string): Promise<Plugin[]> {
    const url = await resolvePluginModule(specifier, baseDir);
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (isTypeScriptFile(file)) throw new ConfigError([{ path: 'plugins', message: typeScriptPluginHint(file, specifier, baseDir) }]);
    let loaded: { default?: unknown };
    try {
      loaded = (await import(url)) as { default?: unknown };
    } catch (error) {
      throw new ConfigError([
        { path: 'plugins', message: `cannot load plugin module "${specifier}": ${(error as Error).message}` },
      ]);
    }
    if (loaded.default === undefined) {
      throw new ConfigError([
        { path: 'plugins', message: `plugin module "${specifier}" has no default export (expected a plugin or an array of plugins)` },
      ]);
    }
    const plugins = (Array.isArray(loaded.default) ? loaded.default : [loaded.default]) as Plugin[];
    this.register(plugins, `plugin module "${specifier}"`);
    return plugins;
  }
}

/** Turns a `plugins:` entry into a module URL, or throws a ConfigError saying what was tried. */
async function resolvePluginModule(specifier: string, baseDir: string): Promise<string> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  if (isPath) {
    const path = resolve(baseDir, specifier);
    if (!existsSync(path)) {
      throw new ConfigError([{ path: 'plugins', message: `plugin module "${specifier}" not found (looked for ${path})` }]);
    }
    return pathToFileURL(statSync(path).isDirectory() ? packageEntry(path, specifier) : path).href;
  }
  try {
    // Resolved as if imported by a module in baseDir: node_modules there and in its parents.
    // Loaded only here: most runs name no plugin package, and it costs ~40 ms at startup.
    const { resolve: resolveModule } = await import('import-meta-resolve');
    return resolveModule(specifier, pathToFileURL(join(resolve(baseDir), 'idflow-plugins.js')).href);
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND'
        ? `not installed in ${resolve(baseDir)} or a parent directory's node_modules (a path must start with ./ or ../)`
        : (error as Error).message;
    throw new ConfigError([{ path: 'plugins', message: `cannot resolve plugin package "${specifier}": ${why}` }]);
  }
}

/** Entry file of a package directory named by path (`exports["."]`, then `main`, then index.js). */
function packageEntry(dir: string, specifier: string): string {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return join(dir, 'index.js');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
  const entry = exportedEntry(manifest.exports) ?? manifest.main ?? 'index.js';
  const path = join(dir, entry);
  if (!existsSync(path)) {
    throw new ConfigError([
      { path: 'plugins', message: `plugin package "${specifier}" points to ${path}, which does not exist: build it first (${buildCommand(dir)})` },
    ]);
  }
  return path;
}

function exportedEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as { [key: string]: unknown };
  const root = '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (!root || typeof root !== 'object') return undefined;
  const conditions = root as { [key: string]: unknown };
  for (const condition of ['import', 'node', 'default']) {
    const target = exportedEntry(conditions[condition]);
    if (target) return target;
  }
  return undefined;
}

function assertPlugin(candidate: unknown, from: string): Plugin {
  const p = candidate as Partial<Plugin> | null;
  const problems: string[] = [];
  if (!p || typeof p !== 'object') problems.push('is not an object');
  else {
    if (typeof p.name !== 'string' || p.name === '') problems.push('has no name');
    if (!KINDS.includes(p.kind as PluginKind)) problems.push(`has kind ${JSON.stringify(p.kind)} (expected source, transform or sink)`);
    if (typeof p.create !== 'function') problems.push('has no create() function');
    if (!p.schema || typeof p.schema !== 'object') problems.push('has no JSON schema');
  }
  if (problems.length) {
    throw new ConfigError([{ path: 'plugins', message: `${from} is not a valid plugin: it ${problems.join(', ')}` }]);
  }
  return p as Plugin;
}

/** A fresh registry in its own child container (pass one to share a container with the CLI). */
export function createRegistry(container: DependencyContainer = rootContainer.createChildContainer()): PluginRegistry {
  if (!container.isRegistered(PLUGIN_REGISTRY)) {
    const registry = new PluginRegistry(container);
    container.register(PLUGIN_REGISTRY, { useValue: registry });
  }
  return container.resolve(PLUGIN_REGISTRY);
}
