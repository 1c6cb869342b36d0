// `idflow validate <pipeline>`: everything `run` checks before starting, nothing more.
import { loadPipeline } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';

interface ValidateArgs {
  pipeline: string;
  set: string[];
}

const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <pipeline>',
  describe: 'Check a pipeline file (syntax, variables, keys, plugin configs); prints "ok" or every problem',
  builder: (yargs: Argv) =>
    yargs
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline YAML file' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [], describe: 'Override a pipeline key: path=value (repeatable)' }) as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    await loadPipeline(args.pipeline, { set: args.set, env: process.env, registry: createBuiltinRegistry() });
    process.stdout.write('ok\n');
  },
};
export default validateCommand;
