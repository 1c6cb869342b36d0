// The one place where errors become exit codes and user-facing messages.
import { ConfigError, ExitCode, IdflowError } from '@idflow/engine';
import { escapeForTerminal } from './run/terminal-text.js';

/** Invalid command-line usage (unknown option, missing argument): exit 2. */
export class UsageError extends IdflowError {
  constructor(message: string) {
    super(message, 'USAGE', ExitCode.config);
  }
}

/** The documented exit codes, for `--help`. */
export const exitCodesHelp = [
  'Exit codes:',
  '  0    success',
  '  1    not everything succeeded: the run failed (target unreachable or gone, credentials refused, disk full…),',
  '       rejects passed maxRejects, users could not be delivered (run again), or none was delivered at all',
  '  2    invalid configuration or usage, a checkpoint of another target or settings, an output folder in use',
  '  130  interrupted (Ctrl-C / SIGTERM): in-flight records drained, checkpoint saved',
].join('\n');

/** IdflowErrors carry their exit code; anything else is an unexpected failure (1). */
export function exitCodeFor(error: unknown): number {
  return isIdflowError(error) ? error.exitCode : ExitCode.incomplete;
}

/**
 * The message printed for a fatal error: config problems one per line (so editors can jump to
 * `file:line:col`), any other error as its author wrote it; the stack only with `--debug`. Control
 * characters (from input quoted in a message) are shown escaped.
 */
export function describeError(error: unknown, debug: boolean): string {
  if (error instanceof ConfigError) {
    const count = error.problems.length;
    return `${escapeForTerminal(error.message, { keepNewlines: true })}\nidflow: invalid configuration: ${count} problem${count === 1 ? '' : 's'}`;
  }
  const message = escapeForTerminal(error instanceof Error ? error.message : String(error), { keepNewlines: true });
  const usageHint = error instanceof UsageError ? '\nRun "idflow --help" for usage.' : '';
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `idflow: ${message}${usageHint}${stack}`;
}

// Duck-typed as well as by class: a plugin bundling its own copy of @idflow/engine still maps right.
function isIdflowError(error: unknown): error is IdflowError {
  if (error instanceof IdflowError) return true;
  const candidate = error as { exitCode?: unknown; code?: unknown } | null;
  return error instanceof Error && typeof candidate?.exitCode === 'number' && typeof candidate.code === 'string';
}
