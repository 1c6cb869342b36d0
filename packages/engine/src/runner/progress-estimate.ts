// What the progress bar shows: users done (final: written, present, skipped or refused) out of an estimated
// total, the rate at which users become done, and the time left. The total is the users read so
// far scaled by the share of the input read (exact once the source is exhausted); the rate is taken
// over the last half minute of done users, not of bytes read, so with an online sink the target's
// pace sets the ETA, and the time the source spent preparing (indexing a password export) does not
// dilute it.

import type { ProgressUsers, RunCounts } from '../pipeline.js';

/** The window the rate is measured over. */
export const RATE_WINDOW_MS = 30_000;
/** No ETA before the rate has been watched this long. */
const MIN_RATE_SPAN_MS = 2_000;

interface RateSample {
  atMs: number;
  done: number;
}

/** Users whose fate is final. */
export function usersDone(counts: RunCounts): number {
  return counts.written + counts.present + counts.skipped + counts.rejected;
}

/**
 * The estimated number of users in the input: `read` when the source is exhausted, else `read`
 * scaled by the share of bytes read; undefined while nothing says how big the input is.
 */
export function estimateUsersTotal(read: number, bytes: { done: number; total: number } | undefined, sourceExhausted: boolean): number | undefined {
  if (sourceExhausted) return read;
  if (!bytes || bytes.total <= 0 || bytes.done <= 0 || read === 0) return undefined;
  const share = Math.min(1, bytes.done / bytes.total);
  return Math.max(read, Math.round(read / share));
}

export class ProgressEstimator {
  private readonly samples: RateSample[] = [];

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** The estimate at `atMs` (ms since the run started). */
  update(atMs: number, counts: RunCounts, bytes: { done: number; total: number } | undefined, sourceExhausted: boolean): ProgressUsers {
    const done = usersDone(counts);
    // The window starts with the first done user: a source preparing for minutes does not count.
    if (done === 0) this.samples.length = 0;
    this.samples.push({ atMs, done });
    while (this.samples.length > 2 && atMs - this.samples[1].atMs >= this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const spanMs = atMs - first.atMs;
    const perSecond = spanMs > 0 ? ((done - first.done) * 1000) / spanMs : 0;
    const total = estimateUsersTotal(counts.read, bytes, sourceExhausted);
    const users: ProgressUsers = { done, perSecond: Math.round(perSecond), totalExact: sourceExhausted };
    if (total === undefined) return users;
    users.total = Math.max(total, done);
    const left = users.total - done;
    if (left === 0) users.etaMs = 0;
    else if (perSecond > 0 && spanMs >= MIN_RATE_SPAN_MS) users.etaMs = Math.round((left / perSecond) * 1000);
    return users;
  }
}
