// Time limits on plugin calls (a transform's `apply`, a sink's `write`, `close`…): a plugin that
// never settles must not hang the run. One interval timer serves every call in flight, so a call
// costs a Set entry, not a timer of its own; synchronous transforms never come here at all.
// The timer is not unref'd: while a run waits on a plugin, it is what keeps the process alive
// (without it, a promise nobody will ever settle ends Node with exit 13 and no report).

import { formatDuration } from '../config/duration.js';

/** A plugin call that did not settle in time. Not an IdflowError: what it means is the caller's choice. */
export class PluginTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not answer within ${formatDuration(timeoutMs)}`);
    this.name = 'PluginTimeoutError';
  }
}

interface Deadline {
  at: number;
  expire(): void;
}

export class Watchdog {
  private readonly pending = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;

  /** `checkEveryMs`: how often deadlines are looked at (a limit fires at most this late). */
  constructor(private readonly checkEveryMs: number) {}

  /** Settles like `work`, or rejects with a PluginTimeoutError once `timeoutMs` passed. */
  limit<T>(work: PromiseLike<T>, timeoutMs: number, what: string): Promise<T> {
    this.start();
    return new Promise<T>((resolve, reject) => {
      const deadline: Deadline = { at: performance.now() + timeoutMs, expire: () => reject(new PluginTimeoutError(what, timeoutMs)) };
      this.pending.add(deadline);
      work.then(
        (value) => {
          this.pending.delete(deadline);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(deadline);
          reject(error);
        },
      );
    });
  }

  /** Stops the timer; calls still pending are left to settle (or not) on their own. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.expireDue(), this.checkEveryMs);
  }

  private expireDue(): void {
    if (this.pending.size === 0) return;
    const now = performance.now();
    for (const deadline of this.pending) {
      if (deadline.at > now) continue;
      this.pending.delete(deadline);
      deadline.expire();
    }
  }
}

/** How often a watchdog guarding these limits looks: a tenth of the shortest, between 10 ms and 1 s. */
export function checkIntervalFor(...limitsMs: number[]): number {
  return Math.min(1000, Math.max(10, Math.floor(Math.min(...limitsMs) / 10)));
}
