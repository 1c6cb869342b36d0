// `idflow report <folder>`: rebuilds report.html from what a run left in its folder — report.json,
// and verify.json when `idflow verify` checked the target after that run — e.g. to add the
// verification to the page, or after upgrading idflow.
import { rebuildHtmlReport } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { escapeForTerminal } from '../run/terminal-text.js';

interface ReportArgs {
  folder: string;
}

const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <folder>',
  describe: 'Rebuild report.html from the report.json (and verify.json) a run wrote in <folder> (beside its dead-letter file)',
  builder: (yargs: Argv) =>
    yargs.positional('folder', { type: 'string', demandOption: true, describe: 'The folder holding report.json' }) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const { path, verification } = await rebuildHtmlReport(args.folder);
    const verified = verification ? ` (with idflow verify's results of ${verification.verifiedAt})` : ' (no idflow verify results newer than the run)';
    process.stdout.write(`${escapeForTerminal(path)}${verified}\n`);
  },
};
export default reportCommand;
