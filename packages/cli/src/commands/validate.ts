// `idflow validate <pipeline>`: everything `run` checks before starting, nothing more: syntax,
// variables, keys, plugin configs, and the files (inputs exist, key files readable, no output on an
// input or on `/`). Warnings (a key file others can read) go to stderr; the answer is still "ok".
import { formatProblem, loadPipeline } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';
import { escapeForTerminal } from '../run/terminal-text.js';

interface ValidateArgs {
  pipeline: string;
  set: string[];
}

const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <pipeline>',
  describe: 'Check a pipeline file (syntax, variables, keys, plugin configs, input and output files); prints "ok" or every problem',
  builder: (yargs: Argv) =>
    yargs
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline YAML file' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [], describe: 'Override a pipeline key: path=value (repeatable)' }) as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const pipeline = await loadPipeline(args.pipeline, { set: args.set, env: process.env, registry: createBuiltinRegistry() });
    for (const warning of pipeline.warnings ?? []) process.stderr.write(`warning: ${escapeForTerminal(formatProblem(warning))}\n`);
    process.stdout.write('ok\n');
  },
};
export default validateCommand;
