// `idflow plugins [name]`: what plugins exist, and the config docs of one, generated from its schema.
import { resolve } from 'node:path';
import { didYouMean, ExitCode, IdflowError, type Plugin, renderPluginDocs } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';

interface PluginsArgs {
  name?: string;
  load: string[];
}

const pluginsCommand: CommandModule<object, PluginsArgs> = {
  command: 'plugins [name]',
  describe: "List plugins, or show one plugin's configuration documentation",
  builder: (yargs: Argv) =>
    yargs
      .positional('name', { type: 'string', describe: 'Plugin name (both kinds are shown when a source and a sink share it)' })
      .option('load', { type: 'string', array: true, nargs: 1, default: [], describe: 'Also load a custom plugin module (path or package name; repeatable)' }) as unknown as Argv<PluginsArgs>,
  handler: async (args) => {
    const registry = createBuiltinRegistry();
    for (const specifier of args.load) await registry.loadModule(specifier, resolve('.'));
    const plugins = registry.list();
    if (!args.name) {
      process.stdout.write(formatPluginList(plugins));
      return;
    }
    const matches = plugins.filter((plugin) => plugin.name === args.name);
    if (matches.length === 0) throw unknownPlugin(args.name, plugins);
    process.stdout.write(matches.map(renderPluginDocs).join('\n'));
  },
};
export default pluginsCommand;

/** One line per plugin: name, kind, description, aligned. */
export function formatPluginList(plugins: readonly Plugin[]): string {
  if (plugins.length === 0) return 'No plugins registered.\n';
  const nameWidth = Math.max(4, ...plugins.map((plugin) => plugin.name.length)) + 2;
  const header = `${'NAME'.padEnd(nameWidth)}${'KIND'.padEnd(11)}DESCRIPTION`;
  const rows = plugins.map((plugin) => `${plugin.name.padEnd(nameWidth)}${plugin.kind.padEnd(11)}${plugin.description}`);
  return `${[header, ...rows].join('\n')}\n`;
}

function unknownPlugin(name: string, plugins: readonly Plugin[]): IdflowError {
  const hint = didYouMean(name, [...new Set(plugins.map((plugin) => plugin.name))]);
  return new IdflowError(`unknown plugin "${name}"${hint}; run "idflow plugins" for the list`, 'UNKNOWN_PLUGIN', ExitCode.config);
}
