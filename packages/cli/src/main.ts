// The `idflow` command line: yargs wiring, and the one place where errors become exit codes.
//
// Each command is one module in src/commands/ whose default export is a yargs CommandModule. A
// handler that returns normally exits 0; to fail it throws — an IdflowError carries its exit code
// (see exit-codes.ts), anything else exits 1. Handlers print their own results to stdout; errors
// are printed here, to stderr, without a stack trace unless --debug.
import { readFileSync } from 'node:fs';
import { ExitCode } from '@idflow/engine';
import yargs, { type Argv } from 'yargs';
import demo from './commands/demo.js';
import diff from './commands/diff.js';
import emulator from './commands/emulator.js';
import plugins from './commands/plugins.js';
import run from './commands/run.js';
import validate from './commands/validate.js';
import verify from './commands/verify.js';
import { describeError, exitCodeFor, exitCodesHelp, UsageError } from './exit-codes.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * yargs renders the whole help text before running any command (~20 ms of every start: it
 * measures each line through Intl.Segmenter), to show it should the command fail later. idflow
 * never shows help on a failure (it prints the error and a hint), and `--help` renders the text
 * when asked, so that cache is skipped. Should a yargs release drop these internals, the hook
 * does nothing.
 */
function renderHelpOnlyWhenAsked(parser: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } | undefined } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Runs the CLI on `argv` (without node and script) and resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const parser = yargs([...argv])
      .scriptName('idflow')
      .usage('$0 <command> [options]\n\nStreaming user migration: Auth0 to ZITADEL, password hashes included.')
      .command(run)
      .command(diff)
      .command(validate)
      .command(plugins)
      .command(emulator)
      .command(verify)
      .command(demo)
      .option('debug', { type: 'boolean', default: false, global: true, describe: 'Debug logs and stack traces on errors' })
      .demandCommand(1, 'Name a command.')
      .strict()
      .recommendCommands()
      .version(version)
      .help()
      .alias('h', 'help')
      .epilogue(exitCodesHelp)
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      });
    renderHelpOnlyWhenAsked(parser);
    await parser.parseAsync();
    return ExitCode.ok;
  } catch (error) {
    process.stderr.write(`${describeError(error, debug)}\n`);
    return exitCodeFor(error);
  }
}
