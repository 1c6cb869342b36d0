// The custom plugin modules a pipeline names (`plugins:`), loaded on their own: `idflow plugins
// --pipeline p.yaml` lists them without the rest of the pipeline being valid or its variables set
// (no export, no credentials needed to read a plugin's docs). Problems are located like the
// loader's: `file:line:col plugins.0: message`.
import { dirname, resolve } from 'node:path';
import { type ConfigProblem, ConfigError } from '../errors.js';
import type { Plugin } from '../plugin.js';
import { interpolateDocument } from './interpolate.js';
import { readPipelineDocument } from './load-pipeline.js';
import { YamlLocator } from './yaml-locator.js';

/** What loads a module and says which plugins it registered (the PluginRegistry). */
export interface PluginLoader {
  loadModule(specifier: string, baseDir: string): Promise<readonly Plugin[]>;
}

/** Loads each `plugins:` module of `file` into `registry`; answers the plugins of each, by specifier. */
export async function loadPipelinePlugins(file: string, registry: PluginLoader, env: NodeJS.ProcessEnv): Promise<Map<string, readonly Plugin[]>> {
  const { doc, lines } = await readPipelineDocument(file);
  const locator = new YamlLocator(doc, lines);
  const at = (path: (string | number)[], message: string): ConfigProblem => ({ file, ...locator.locate(path), path: path.join('.'), message });
  // Only `plugins:` matters here: a variable the rest of the pipeline needs may be unset.
  const problems = interpolateDocument(doc, env).problems.filter((problem) => problem.path[0] === 'plugins');
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => at([...problem.path], problem.message)));
  const modules = (doc.toJS() as { plugins?: unknown } | null)?.plugins;
  if (modules === undefined || modules === null) return new Map();
  if (!Array.isArray(modules)) throw new ConfigError([at(['plugins'], 'must be a list of module paths or package names')]);
  const loaded = new Map<string, readonly Plugin[]>();
  for (const [i, specifier] of modules.entries()) {
    try {
      loaded.set(String(specifier), await registry.loadModule(String(specifier), dirname(resolve(file))));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(error.problems.map((problem) => at(['plugins', i], problem.message)));
    }
  }
  return loaded;
}
