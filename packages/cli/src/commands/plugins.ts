// `idflow plugins [name]`: what plugins exist, and the config docs of one, generated from its schema.
// With a pipeline (`--pipeline p.yaml`, or `idflow plugins p.yaml`) the custom plugins its
// `plugins:` names are loaded too, as `run` would load them, and marked with where they come from.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { didYouMean, ExitCode, IdflowError, loadPipelinePlugins, type Plugin, renderPluginDocs } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';

interface PluginsArgs {
  name?: string;
  pipeline?: string;
  load: string[];
}

const pluginsCommand: CommandModule<object, PluginsArgs> = {
  command: 'plugins [name]',
  describe: "List plugins (with a pipeline's custom ones), or show one plugin's configuration documentation",
  builder: (yargs: Argv) =>
    yargs
      .positional('name', { type: 'string', describe: 'Plugin name (both kinds are shown when a source and a sink share it), or a pipeline file to list its plugins' })
      .option('pipeline', { alias: 'p', type: 'string', describe: "Also load the custom plugins of this pipeline's `plugins:`" })
      .option('load', { type: 'string', array: true, nargs: 1, default: [], describe: 'Also load a custom plugin module (path or package name; repeatable)' }) as unknown as Argv<PluginsArgs>,
  handler: async (args) => {
    const registry = createBuiltinRegistry();
    const builtIn = new Set<Plugin>(registry.list());
    const from = new Map<Plugin, string>();
    const positionalPipeline = args.name !== undefined && !args.pipeline && isPipelineFile(args.name);
    const pipeline = args.pipeline ?? (positionalPipeline ? args.name : undefined);
    const name = positionalPipeline ? undefined : args.name;
    if (pipeline) {
      for (const [specifier, plugins] of await loadPipelinePlugins(pipeline, registry, process.env)) for (const plugin of plugins) from.set(plugin, specifier);
    }
    for (const specifier of args.load) for (const plugin of await registry.loadModule(specifier, resolve('.'))) from.set(plugin, specifier);
    const plugins = registry.list();
    if (!name) {
      process.stdout.write(formatPluginList(plugins, (plugin) => (builtIn.has(plugin) ? 'built-in' : from.get(plugin))));
      return;
    }
    const matches = plugins.filter((plugin) => plugin.name === name);
    if (matches.length === 0) throw unknownPlugin(name, plugins, pipeline);
    process.stdout.write(matches.map(renderPluginDocs).join('\n'));
  },
};
export default pluginsCommand;

/**
 * One line per plugin: name, kind, description, aligned; with `originOf`, a FROM column (built-in,
 * or the module a custom plugin came from) once any plugin is custom.
 */
export function formatPluginList(plugins: readonly Plugin[], originOf?: (plugin: Plugin) => string | undefined): string {
  if (plugins.length === 0) return 'No plugins registered.\n';
  const nameWidth = Math.max(4, ...plugins.map((plugin) => plugin.name.length)) + 2;
  const origins = plugins.map((plugin) => originOf?.(plugin) ?? 'built-in');
  const withOrigin = origins.some((origin) => origin !== 'built-in');
  const originWidth = Math.max(4, ...origins.map((origin) => origin.length)) + 2;
  const header = `${'NAME'.padEnd(nameWidth)}${'KIND'.padEnd(11)}${withOrigin ? 'FROM'.padEnd(originWidth) : ''}DESCRIPTION`;
  const rows = plugins.map((plugin, i) => `${plugin.name.padEnd(nameWidth)}${plugin.kind.padEnd(11)}${withOrigin ? origins[i].padEnd(originWidth) : ''}${plugin.description}`);
  return `${[header, ...rows].join('\n')}\n`;
}

/** A name that is a pipeline file rather than a plugin: `*.yaml` / `*.yml` that exists. */
function isPipelineFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && existsSync(name) && statSync(name).isFile();
}

function unknownPlugin(name: string, plugins: readonly Plugin[], pipeline: string | undefined): IdflowError {
  const hint = didYouMean(name, [...new Set(plugins.map((plugin) => plugin.name))]);
  const custom = pipeline ? '' : '; for a custom plugin, name its pipeline: idflow plugins <name> --pipeline <file>';
  return new IdflowError(`unknown plugin "${name}"${hint}; run "idflow plugins" for the list${custom}`, 'UNKNOWN_PLUGIN', ExitCode.config);
}
