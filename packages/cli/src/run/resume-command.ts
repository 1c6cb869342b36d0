// The command that resumes a run (or a retry: `command` is then `retry --from …`), with the `--set` flags it was started with (a secret's value
// shown as `***`: the operator types it again), each quoted for a POSIX shell when needed.
import type { LoadedPipeline } from '@idflow/engine';

export function resumeCommand(pipeline: Pick<LoadedPipeline, 'file' | 'setFlags'>, command: readonly string[] = ['run']): string {
  return ['idflow', command[0], pipeline.file, ...command.slice(1), ...(pipeline.setFlags ?? []).flatMap((flag) => ['--set', flag])].map(shellQuote).join(' ');
}

/** `word` as a shell reads it: unchanged when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
