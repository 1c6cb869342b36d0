// `idflow retry <pipeline> --from <dead-letter file> [--reason REGEX]`: the pipeline again over
// its dead letters only, after the cause was fixed. The engine does the work (startRetry: its own
// checkpoint, dead-letter file and report in a folder of its own); this prints what it is about
// to do, runs it like `run` does and adds the totals with the amended run to the summary.
import { loadPipeline, startRetry } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';
import type { LogFormat } from '../logger.js';
import { resumeCommand } from '../run/resume-command.js';
import { formatRetrySummary } from '../run/retry-summary.js';
import { escapeForTerminal } from '../run/terminal-text.js';
import { runSession, sessionOptions, setOption } from './run.js';

interface RetryArgs {
  pipeline: string;
  from: string;
  reason?: string;
  out?: string;
  'dry-run': boolean;
  fresh: boolean;
  set: string[];
  'log-format': LogFormat;
  quiet: boolean;
  debug: boolean;
}

const retryCommand: CommandModule<object, RetryArgs> = {
  command: 'retry <pipeline>',
  describe: "Run a pipeline again over its dead letters only (after fixing their cause), with its own checkpoint and report",
  builder: (yargs: Argv) =>
    sessionOptions(yargs)
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline YAML file (the same one, fixed)' })
      .option('from', { type: 'string', demandOption: true, describe: 'The dead-letter file to replay, e.g. out/dead-letter.ndjson' })
      .option('reason', { type: 'string', describe: 'Only dead letters whose reason (or "stage: reason") matches this regular expression, case-insensitive' })
      .option('out', { type: 'string', describe: "The retry's folder (default: beside --from, e.g. out/dead-letter.retry/)" })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Read and transform the dead letters; write nothing to the target' })
      .option('fresh', { type: 'boolean', default: false, describe: "Ignore the retry's checkpoint and replay every selected dead letter again" })
      .option(...setOption) as unknown as Argv<RetryArgs>,
  handler: async (args) => {
    const registry = createBuiltinRegistry();
    const pipeline = await loadPipeline(args.pipeline, { set: args.set, env: process.env, registry });
    const again = resumeCommand(pipeline, ['retry', '--from', args.from, ...(args.reason === undefined ? [] : ['--reason', args.reason]), ...(args.out ? ['--out', args.out] : [])]);
    await runSession(args, pipeline, {
      async start(signal) {
        const retry = await startRetry(pipeline, registry, { from: args.from, reason: args.reason, out: args.out, dryRun: args['dry-run'], fresh: args.fresh, signal });
        const { plan } = retry;
        for (const note of retry.notes) process.stderr.write(`idflow: ${escapeForTerminal(note)}\n`);
        if (!args.quiet) {
          const selected = args.reason === undefined ? '' : `, ${plan.selected} selected by --reason`;
          process.stderr.write(`idflow: retrying ${plan.replayable} of the ${plan.deadLetters} dead letters of ${escapeForTerminal(args.from)}${selected}; writing to ${escapeForTerminal(retry.dir)}\n`);
        }
        return retry.handle;
      },
      again,
      summary: formatRetrySummary,
    });
  },
};
export default retryCommand;
