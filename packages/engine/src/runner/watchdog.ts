// Time limits on plugin calls (a transform's `apply`, a sink's `write`, `close`…): a plugin that
// never settles must not hang the run. One interval timer serves every call in flight, so a call
// costs a Set entry (or, for the one transform answer the pump waits for, two fields: see
// `watch`), not a timer of its own; synchronous transforms never come here at all.
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

/** A limit being watched: `expire` runs once, unless it is disarmed first. */
export interface Deadline {
  /** The tick at which it expires (ticks, not a clock read per call: arming must be cheap). */
  due: number;
  expire(): void;
}

export class Watchdog {
  private readonly pending = new Set<Deadline>();
  private readonly watchers: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Intervals elapsed since the timer started. */
  private ticks = 0;

  /** `checkEveryMs`: how often deadlines are looked at (a limit fires at most this late). */
  constructor(private readonly checkEveryMs: number) {}

  /** The current tick: a deadline `timeoutMs` from now is `tick + ticksFor(timeoutMs)`. */
  get tick(): number {
    return this.ticks;
  }

  /** Ticks that cover `timeoutMs` (one more: the current tick is already under way). */
  ticksFor(timeoutMs: number): number {
    return Math.ceil(timeoutMs / this.checkEveryMs) + 1;
  }

  /**
   * Calls `check` at every tick (and starts the timer): for a caller with one call at a time in
   * flight, which keeps its own deadline in a field and compares it with `tick`.
   */
  watch(check: () => void): void {
    this.watchers.push(check);
    this.start();
  }

  /** Calls `expire` once `timeoutMs` passed, unless `disarm` comes first. */
  arm(timeoutMs: number, expire: () => void): Deadline {
    this.start();
    const deadline: Deadline = { due: this.ticks + this.ticksFor(timeoutMs), expire };
    this.pending.add(deadline);
    return deadline;
  }

  /** True when the deadline had not expired yet (the caller's answer came in time). */
  disarm(deadline: Deadline): boolean {
    return this.pending.delete(deadline);
  }

  /** Settles like `work`, or rejects with a PluginTimeoutError once `timeoutMs` passed. */
  limit<T>(work: PromiseLike<T>, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = this.arm(timeoutMs, () => reject(new PluginTimeoutError(what, timeoutMs)));
      work.then(
        (value) => {
          if (this.disarm(deadline)) resolve(value);
        },
        (error: unknown) => {
          if (this.disarm(deadline)) reject(error);
        },
      );
    });
  }

  /** Stops the timer; calls still pending are left to settle (or not) on their own. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.watchers.length = 0;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.expireDue(), this.checkEveryMs);
  }

  private expireDue(): void {
    this.ticks += 1;
    for (const check of this.watchers) check();
    if (this.pending.size === 0) return;
    for (const deadline of this.pending) {
      if (deadline.due > this.ticks) continue;
      this.pending.delete(deadline);
      deadline.expire();
    }
  }
}

/** How often a watchdog guarding these limits looks: a tenth of the shortest, between 10 ms and 1 s. */
export function checkIntervalFor(...limitsMs: number[]): number {
  return Math.min(1000, Math.max(10, Math.floor(Math.min(...limitsMs) / 10)));
}
