// Sends batches to the sink: at most `concurrency` calls at once (p-limit), re-sending `retryable`
// records with backoff until the sink's retry budget is spent, and pausing new calls while a
// checkpoint asks the sink for its state, so that state matches the acknowledged records exactly.
// A `write` that does not settle within `timeouts.sinkWrite` counts as a `retryable` answer for
// its records. Records still retryable past the budget are undeliverable — not final, left
// unacknowledged — and tell the circuit breaker the target is away.

import pLimit, { type LimitFunction } from 'p-limit';
import { FatalError, IdflowError } from '../errors.js';
import type { RecordEnvelope, RetryPolicy, Sink, SinkOutcome } from '../plugin.js';
import type { Batch } from './batch-builder.js';
import { backoffDelay, retryPolicyOf, sleep } from './retry-backoff.js';
import type { TargetBreaker } from './target-breaker.js';
import { PluginTimeoutError, type Watchdog } from './watchdog.js';

/** The outcomes that deliver a record (final successes). */
export type DeliveredOutcome = Extract<SinkOutcome, { status: 'written' | 'present' | 'updated' | 'unchanged' }>;

/** What the dispatcher reports for each record; called synchronously right after the sink answered. */
export interface DeliveryOutcomes {
  delivered(record: RecordEnvelope, outcome: DeliveredOutcome): void;
  rejected(record: RecordEnvelope, original: unknown, reason: string, detail?: { [key: string]: unknown }): void;
  /** Not delivered, not refused: stays unacknowledged, for the next run to send again. */
  undeliverable(record: RecordEnvelope, lastReason: string): void;
  /** The sink threw: the run must stop. Called once per failing call. */
  fatal(error: IdflowError): void;
}

/** What guards the sink calls: their time limit and the circuit breaker. */
export interface DispatchGuards {
  watchdog: Watchdog;
  writeTimeoutMs: number;
  breaker: TargetBreaker;
}

export class SinkDispatcher {
  private readonly limit: LimitFunction;
  private readonly tasks = new Set<Promise<void>>();
  private readonly retry: Required<RetryPolicy>;
  private roomWaiter: (() => void) | undefined;
  /** Calls to `sink.write` running now (not batches waiting for a retry). */
  private activeWrites = 0;
  private paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;
  private idleWaiter: (() => void) | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly sinkName: string,
    private readonly concurrency: number,
    private readonly outcomes: DeliveryOutcomes,
    /** Aborted when the run stops: retries are abandoned and their records stay unacknowledged. */
    private readonly stopSignal: AbortSignal,
    private readonly recycle: (batch: Batch) => void,
    private readonly guards: DispatchGuards,
  ) {
    this.limit = pLimit(concurrency);
    this.retry = retryPolicyOf(sink.retry);
  }

  /** Batches handed over and not finished yet (running, backing off or queued). */
  get inFlight(): number {
    return this.tasks.size;
  }

  get hasRoom(): boolean {
    return this.tasks.size < this.concurrency;
  }

  dispatch(batch: Batch): void {
    const task = this.limit(() => this.deliver(batch))
      .catch((error: unknown) => this.outcomes.fatal(asFatal(error, `delivering to sink ${this.sinkName} failed`)))
      .finally(() => {
      this.tasks.delete(task);
      this.recycle(batch);
      const waiter = this.roomWaiter;
      this.roomWaiter = undefined;
      waiter?.();
    });
    this.tasks.add(task);
  }

  /** Resolves when another batch may be dispatched (or the run stops). */
  waitForRoom(): Promise<void> {
    if (this.hasRoom || this.stopSignal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.roomWaiter;
      this.roomWaiter = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Wakes a waiter without a slot having freed (used when the run is stopping). */
  wake(): void {
    const waiter = this.roomWaiter;
    this.roomWaiter = undefined;
    waiter?.();
  }

  /** Waits for every dispatched batch to finish. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  /**
   * Stops new `write` calls and resolves once none is running, so every record the sink has
   * written is acknowledged. Call `resumeWrites` afterwards.
   */
  async pauseWrites(): Promise<void> {
    if (!this.paused) this.paused = new Promise((resolve) => (this.unpause = resolve));
    if (this.activeWrites > 0) await new Promise<void>((resolve) => (this.idleWaiter = resolve));
  }

  resumeWrites(): void {
    const unpause = this.unpause;
    this.paused = undefined;
    this.unpause = undefined;
    unpause?.();
  }

  private async deliver(batch: Batch): Promise<void> {
    let records = batch.records;
    let originals = batch.originals;
    const firstTry = Date.now();
    for (let attempt = 1; ; attempt++) {
      const outcomes = await this.write(records);
      if (!outcomes) {
        this.leaveUnsent(records, 'the sink failed before it answered');
        return;
      }
      const retryRecords: RecordEnvelope[] = [];
      const retryOriginals: unknown[] = [];
      let lastReason = '';
      for (let i = 0; i < records.length; i++) {
        const outcome = outcomes[i];
        switch (outcome.status) {
          case 'written':
          case 'present':
          case 'updated':
          case 'unchanged':
            this.outcomes.delivered(records[i], outcome);
            break;
          case 'rejected':
            this.outcomes.rejected(records[i], originals[i], outcome.reason, outcome.detail);
            break;
          case 'retryable':
            retryRecords.push(records[i]);
            retryOriginals.push(originals[i]);
            lastReason = outcome.reason;
            break;
        }
      }
      if (retryRecords.length < records.length) this.guards.breaker.answered();
      this.leaveWrite();
      if (retryRecords.length === 0) return;
      const delay = backoffDelay(attempt, this.retry);
      const outOfBudget = attempt >= this.retry.attempts || Date.now() + delay - firstTry > this.retry.maxElapsedMs;
      if (outOfBudget) {
        for (const record of retryRecords) this.outcomes.undeliverable(record, lastReason);
        this.guards.breaker.unavailable(firstTry, lastReason);
        return;
      }
      // Stopping (Ctrl-C, fatal error elsewhere): leave these unacknowledged, the resumed run re-sends them.
      if (!(await sleep(delay, this.stopSignal))) {
        this.leaveUnsent(retryRecords, `not re-sent: the run stopped (last answer: ${lastReason})`);
        return;
      }
      records = retryRecords;
      originals = retryOriginals;
    }
  }

  /** Records whose fate this run leaves open: counted as undeliverable, unacknowledged. */
  private leaveUnsent(records: readonly RecordEnvelope[], reason: string): void {
    for (const record of records) this.outcomes.undeliverable(record, reason);
  }

  /** One `sink.write` call under the checkpoint gate; undefined when it failed (already reported as fatal). */
  private async write(records: RecordEnvelope[]): Promise<SinkOutcome[] | undefined> {
    while (this.paused) await this.paused;
    this.activeWrites += 1;
    let outcomes: SinkOutcome[];
    try {
      const { watchdog, writeTimeoutMs } = this.guards;
      outcomes = await watchdog.limit(this.sink.write(records), writeTimeoutMs, `sink ${this.sinkName}`);
    } catch (error) {
      if (error instanceof PluginTimeoutError) {
        // Its fate is unknown, like a request that timed out: the records are re-sent, and the
        // call no longer holds back checkpoints (a late answer is ignored).
        const retryable: SinkOutcome = { status: 'retryable', reason: error.message };
        return records.map(() => retryable);
      }
      this.leaveWrite();
      this.outcomes.fatal(asFatal(error, `sink ${this.sinkName} failed`));
      return undefined;
    }
    if (!Array.isArray(outcomes) || outcomes.length !== records.length) {
      this.leaveWrite();
      const got = Array.isArray(outcomes) ? `${outcomes.length} outcomes` : String(outcomes);
      this.outcomes.fatal(
        new FatalError(`sink ${this.sinkName} answered ${got} for a batch of ${records.length} records (a bug in the sink)`, 'SINK_CONTRACT'),
      );
      return undefined;
    }
    // The caller acknowledges the outcomes synchronously, then calls leaveWrite().
    return outcomes;
  }

  private leaveWrite(): void {
    this.activeWrites -= 1;
    if (this.activeWrites === 0 && this.idleWaiter) {
      const waiter = this.idleWaiter;
      this.idleWaiter = undefined;
      waiter();
    }
  }
}

/** Keeps an IdflowError's code and message; wraps anything else with what failed. */
export function asFatal(error: unknown, what: string): IdflowError {
  if (error instanceof IdflowError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FatalError(`${what}: ${message}`);
}
