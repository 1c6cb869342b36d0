// The circuit breaker: when the target has taken nothing for `timeouts.targetUnavailable` while
// records keep coming back unavailable (retryable past the sink's retry budget), going on would
// only turn more users into "undeliverable". It stops the run instead: exit 1, checkpoint saved,
// every user the target never took left unacknowledged for the next plain run to deliver.

import { formatDuration } from '../config/duration.js';
import { FatalError } from '../errors.js';

export class TargetBreaker {
  /** When the current stretch of unavailability began (first try of its first failed batch). */
  private unavailableSince: number | undefined;
  /** When the target last answered for good (a failure that began before it began after it). */
  private lastAnswer = 0;
  private tripped = false;

  constructor(
    private readonly windowMs: number,
    private readonly sinkName: string,
    private readonly trip: (error: FatalError) => void,
  ) {}

  /** The target answered for good for some record (delivered, present or refused): it is there. */
  answered(): void {
    this.unavailableSince = undefined;
    this.lastAnswer = Date.now();
  }

  /** A batch first tried at `firstTry` (ms, Date.now) came back unavailable past its retry budget. */
  unavailable(firstTry: number, lastReason: string): void {
    if (this.tripped) return;
    const since = Math.max(firstTry, this.lastAnswer);
    this.unavailableSince = Math.min(this.unavailableSince ?? since, since);
    const forMs = Date.now() - this.unavailableSince;
    if (forMs < this.windowMs) return;
    this.tripped = true;
    this.trip(
      new FatalError(
        `stopped: the target of sink ${this.sinkName} has taken nothing for ${formatDuration(Math.round(forMs / 1000) * 1000)} (timeouts.targetUnavailable: ${formatDuration(this.windowMs)}); last answer: ${lastReason}. The users it did not take stay unacknowledged in the checkpoint: once the target is back, run the same command again to deliver them`,
        'TARGET_UNAVAILABLE',
      ),
    );
  }
}
