// What a run starts from: nothing (first run, --fresh, no `checkpoint:`), or the saved state of an
// interrupted run of the very same job. A checkpoint is bound to the inputs (their fingerprint),
// the target (`Sink.target()`) and the settings of every stage: resuming over different inputs
// would skip or repeat records by position, and a rehearsal's checkpoint must never make a
// production run skip the users the rehearsal delivered (or say "already completed"). So any
// difference is refused, saying what changed and what to do.
//
// Except for a checkpoint that acknowledged nothing (a run stopped before its first user, e.g. by
// the auth0 source's password check, or interrupted while its export was being made): resuming
// from it is starting over, so new inputs or settings cannot make it skip or repeat anyone. The
// run then starts over by itself, saying so, rather than asking for --fresh after a fixed input
// file. Its target stays bound: a production run is never mistaken for its rehearsal's.

import { CheckpointMismatchError } from '../errors.js';
import type { SinkTarget } from '../plugin.js';
import type { CheckpointData, CheckpointStore } from './checkpoint-store.js';

/** What this run is, to compare with what the checkpoint belongs to. */
export interface RunIdentity {
  /** The inputs' fingerprint (`Source.fingerprint()`). */
  fingerprint: string;
  target: SinkTarget;
  settings: { [path: string]: string };
  /** This run's `--set` flags (secrets as `***`). */
  startedWith: string[];
}

/**
 * Refuses a target other than `expected.target` (a retry's records belong to the target of the run
 * that refused them): a CheckpointMismatchError saying what differs.
 */
export function checkSameTarget(expected: { target: SinkTarget; what: string } | undefined, now: SinkTarget): void {
  if (!expected) return;
  const changes = targetChanges(expected.target, now);
  if (changes.length === 0) return;
  throw new CheckpointMismatchError(
    [`this run would write elsewhere than ${expected.what}:`, ...changes.map((change) => `  ${change}`)].join('\n') +
      '\nPoint the pipeline at the same target (the same URL, org and sink), or run the whole pipeline against the new one.',
  );
}

/** Longest value shown in a "changed" line before it is cut. */
const SHOWN_VALUE = 80;

/**
 * The saved checkpoint this run resumes from (undefined: start from the beginning). Throws a
 * CheckpointMismatchError when it belongs to other inputs, another target or other settings,
 * unless it acknowledged nothing and only the inputs or settings differ: then `note` is told
 * that the run starts over.
 */
export async function restoreCheckpoint(
  store: CheckpointStore | undefined,
  identity: RunIdentity,
  fresh: boolean,
  note: (message: string) => void,
): Promise<CheckpointData | undefined> {
  if (!store || fresh) return undefined;
  const saved = await store.load();
  if (!saved) return undefined;
  const targetChanged = targetChanges(saved.target, identity.target);
  const changes = [...targetChanged, ...settingChanges(saved.settings, identity.settings)];
  if (saved.fingerprint !== identity.fingerprint) changes.push('the inputs changed since (their fingerprint differs), so resuming by position could skip or repeat users');
  if (changes.length === 0) return saved;
  if (targetChanged.length === 0 && acknowledgedNothing(saved)) {
    note(`starting over: checkpoint ${store.path} is of a run that ended before any user was written or refused, and since then ${changes.map(briefly).join('; ')}`);
    return undefined;
  }
  const startedWith = saved.startedWith?.length ? `\nThat run was started with: ${saved.startedWith.map((flag) => `--set ${flag}`).join(' ')}` : '';
  throw new CheckpointMismatchError(
    [
      `checkpoint ${store.path} belongs to another run${saved.completed ? ' (which completed)' : ''}; what changed:`,
      ...changes.map((change) => `  ${change}`),
    ].join('\n') +
      `${startedWith}\nTo run against this target with these settings, start over with --fresh (users already in the target come back as "already present"), or keep that run's state and write this one elsewhere (another OUT_DIR / checkpoint path).`,
  );
}

/** The checkpoint's run ended before any record was final: nothing delivered, refused or dead-lettered. */
function acknowledgedNothing(saved: CheckpointData): boolean {
  const { counts } = saved;
  const final = counts.written + counts.present + counts.rejected + counts.auxiliaryRejected;
  return !saved.completed && saved.watermark === 0 && saved.above.length === 0 && (saved.dlqBytes ?? 0) === 0 && final === 0;
}

/** A change line without its explanation. */
function briefly(change: string): string {
  return change.replace(/ since \(their fingerprint differs\).*$/, '');
}

/** `target url: a → b` lines; a field only one side knows is not a difference (an older checkpoint). */
export function targetChanges(saved: SinkTarget | undefined, now: SinkTarget): string[] {
  if (!saved) return [];
  if (saved.kind !== now.kind) return [`sink: ${saved.kind} → ${now.kind}`];
  const changes: string[] = [];
  for (const [name, value] of Object.entries(now.fields)) {
    const before = saved.fields[name];
    if (before !== undefined && before !== value) changes.push(`target ${name}: ${before} → ${value}`);
  }
  return changes;
}

function settingChanges(saved: { [path: string]: string } | undefined, now: { [path: string]: string }): string[] {
  if (!saved) return [];
  const paths = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  return paths
    .filter((path) => saved[path] !== now[path])
    .map((path) => `setting ${path}: ${shown(saved[path])} → ${shown(now[path])}`);
}

function shown(json: string | undefined): string {
  if (json === undefined) return '(not set)';
  return json.length > SHOWN_VALUE ? `${json.slice(0, SHOWN_VALUE - 1)}…` : json;
}
