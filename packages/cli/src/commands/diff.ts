// `idflow diff <pipeline>`: what a sync (`sink.with.onExisting: update`) would change, without
// writing to the target. The same run as `idflow run` — same loading, `--set`, environment and
// sink — in the runner's diff mode: the sink reads and compares every user exactly as a sync does
// and writes one line per user (create / update with from→to / unchanged / missing, secrets
// masked) to the diff file, mode 0600.
import type { Argv, CommandModule } from 'yargs';
import { type RunArgs, runFromCommandLine } from './run.js';

interface DiffArgs extends RunArgs {
  out?: string;
}

const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <pipeline>',
  describe: 'Show what a sync would change in the target (create / update by part / unchanged / missing); writes nothing to it',
  builder: (yargs: Argv) =>
    yargs
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline YAML file (a zitadel-users or zitadel-import sink)' })
      .option('out', { type: 'string', describe: 'Per-user changes, one JSON line each (default: diff.ndjson beside the report)' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [], describe: 'Override a pipeline key: path=value (repeatable)' })
      .option('log-format', { choices: ['json', 'pretty'] as const, default: 'pretty' as const, describe: 'Log format on stderr' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress, no summary: warnings and errors only' }) as unknown as Argv<DiffArgs>,
  handler: async (args) => {
    await runFromCommandLine({ ...args, 'dry-run': false, fresh: false }, { out: args.out });
  },
};
export default diffCommand;
