// The hot loop: pulls the source only when the sink has room, numbers records in source order,
// applies the transforms in order, and hands survivors to the batch builder. Synchronous transforms
// cost no promise and no time limit; nothing here emits an event per record.

import { FatalError, IdflowError } from '../errors.js';
import type { RecordEnvelope, Rejection, SourceItem, TransformResult } from '../plugin.js';
import type { AckTracker } from './ack-tracker.js';
import type { BatchBuilder } from './batch-builder.js';
import type { OpenedTransform } from './open-stages.js';
import type { RecordLedger } from './record-ledger.js';
import type { RecordSample } from './record-sample.js';
import type { RunTally } from './run-tally.js';
import type { SinkDispatcher } from './sink-dispatcher.js';
import { asFatal } from './sink-dispatcher.js';
import type { StopControl } from './stop-control.js';
import type { WarningsFile } from './warnings-file.js';
import { PluginTimeoutError, type Watchdog } from './watchdog.js';

/** A transform that timed out on this many records in a row is stuck: the run stops. */
export const STUCK_AFTER_TIMEOUTS = 3;

/** The time limit on asynchronous transform answers. */
export interface TransformLimit {
  watchdog: Watchdog;
  timeoutMs: number;
}

export interface PumpParts {
  /** Starts reading the source (called inside the pump, so a failure to start is a fatal stop too). */
  read: () => AsyncIterable<SourceItem>;
  transforms: OpenedTransform[];
  tracker: AckTracker;
  ledger: RecordLedger;
  tally: RunTally;
  stop: StopControl;
  /** Absent in a dry run: records that pass every transform are only counted. */
  delivery?: { builder: BatchBuilder; dispatcher: SinkDispatcher };
  limit: TransformLimit;
  /** Told which record the transforms are on, so their warnings name it. */
  warnings: WarningsFile;
  /** The report's before/after sample: offered the users it asks for. */
  sample: RecordSample;
}

/** What applying the transforms needs, gathered once per run. */
interface TransformRun {
  transforms: OpenedTransform[];
  ledger: RecordLedger;
  stop: StopControl;
  limit: TransformLimit;
  /** Time-outs in a row (any transform); a record answered in time resets it. */
  timeoutsInARow: number;
  /**
   * The answer the pump waits for (one at a time: it awaits each record): what to do when it comes
   * too late, and the watchdog tick it is due by. Fields, not a watchdog entry per record.
   */
  onLate: (() => void) | undefined;
  dueTick: number;
}

/** Records between two looks at the clock. */
const recordsPerClockCheck = 64;
/** The longest the pump runs before it lets the event loop run (ms). */
const maxBusyMs = 4;

/**
 * Lets the event loop run: I/O completions, timers (progress, checkpoints) and signals. When the
 * source and the plugins answer at once, the pump is a chain of promise callbacks that never
 * yields on its own, and an I/O a sink waits for advances one step per yield: measured on the
 * offline conversion, the main thread sat idle ~12% of the time waiting for body-file writes.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs until the source is exhausted or a stop is requested; source errors become a fatal stop. */
export async function pumpRecords(parts: PumpParts): Promise<void> {
  const { transforms, tracker, ledger, tally, stop, delivery, warnings, sample } = parts;
  const run: TransformRun = { transforms, ledger, stop, limit: parts.limit, timeoutsInARow: 0, onLate: undefined, dueTick: 0 };
  const watchdog = parts.limit.watchdog;
  if (transforms.length > 0) {
    watchdog.watch(() => {
      const late = run.onLate;
      if (late === undefined || watchdog.tick < run.dueTick) return;
      run.onLate = undefined;
      late();
    });
  }
  const live = tally.live;
  let seq = tracker.firstSeq;
  let busySince = performance.now();
  try {
    for await (const item of parts.read()) {
      if (stop.requested) break;
      const current = seq++;
      if (current % recordsPerClockCheck === 0 && performance.now() - busySince >= maxBusyMs) {
        await yieldToEventLoop();
        busySince = performance.now();
        if (stop.requested) break;
      }
      if (tracker.skipIfAcknowledged(current, item.origin)) {
        live.resumedSkipped += 1;
        warnings.skippedAsDone(item.origin);
        continue;
      }
      const original = item.data;
      warnings.enter(current, item.reject ? item.reject.raw : original, item.origin);
      if (item.reject) {
        if (item.auxiliary) {
          ledger.rejectAuxiliary(current, item.origin, item.reject);
          continue;
        }
        live.read += 1;
        ledger.reject('source', current, item.origin, item.reject, item.reject.raw);
        continue;
      }
      live.read += 1;
      const record: RecordEnvelope = { seq: current, origin: item.origin, data: original };
      if (transforms.length > 0) {
        let survived = applyTransforms(record, original, 0, run);
        if (survived !== true && survived !== false) survived = await survived;
        if (!survived) continue;
      }
      live.transformed += 1;
      if (live.transformed === sample.nextAt) sample.keep(record.origin, original, record.data);
      if (!delivery) {
        ledger.transformedOnly(record);
        continue;
      }
      delivery.builder.add(record, original);
      // Backpressure: the source is not pulled again until a batch slot is free.
      while (!delivery.dispatcher.hasRoom && !stop.requested) await delivery.dispatcher.waitForRoom();
    }
  } catch (error) {
    stop.request('failed', asFatal(error, 'reading the source failed'));
  }
}

/**
 * True when the record survived every transform from `from` on (its `data` is then the final
 * value). Synchronous while the transforms are: a promise is returned only once one answers with one.
 */
function applyTransforms(record: RecordEnvelope, original: unknown, from: number, run: TransformRun): boolean | Promise<boolean> {
  const transforms = run.transforms;
  for (let i = from; i < transforms.length; i++) {
    const step = transforms[i];
    let answer: TransformResult | PromiseLike<TransformResult>;
    try {
      answer = step.transform.apply(record);
    } catch (error) {
      return rejectThrown(error, step, record, original, run);
    }
    if (isPromiseLike(answer)) return settleLater(answer, i, record, original, run);
    if (!settle(answer, step, record, original, run.ledger)) return false;
  }
  return true;
}

/**
 * An asynchronous answer, under `timeouts.transform`: one promise per record, and the deadline in
 * two fields of `run` (no timer, no watchdog entry); a late answer is ignored, the record having
 * been rejected for it.
 */
function settleLater(answer: PromiseLike<TransformResult>, i: number, record: RecordEnvelope, original: unknown, run: TransformRun): Promise<boolean> {
  const step = run.transforms[i];
  const { watchdog, timeoutMs } = run.limit;
  return new Promise<boolean>((resolve) => {
    const late = () => settleWith(resolve, () => rejectThrown(new PluginTimeoutError(step.stage, timeoutMs), step, record, original, run));
    run.onLate = late;
    run.dueTick = watchdog.tick + watchdog.ticksFor(timeoutMs);
    answer.then(
      (result) => {
        if (run.onLate !== late) return;
        run.onLate = undefined;
        run.timeoutsInARow = 0;
        settleWith(resolve, () => settle(result, step, record, original, run.ledger) && applyTransforms(record, original, i + 1, run));
      },
      (error: unknown) => {
        if (run.onLate !== late) return;
        run.onLate = undefined;
        settleWith(resolve, () => rejectThrown(error, step, record, original, run));
      },
    );
  });
}

/** Resolves with what `decide` answers; an exception (a dead-letter write on a full disk) reaches the pump as a rejection. */
function settleWith(resolve: (value: boolean | Promise<boolean>) => void, decide: () => boolean | Promise<boolean>): void {
  try {
    resolve(decide());
  } catch (error) {
    resolve(Promise.reject(error));
  }
}

function settle(result: TransformResult, step: OpenedTransform, record: RecordEnvelope, original: unknown, ledger: RecordLedger): boolean {
  if (!result.ok) {
    if (result.skip) ledger.skip(step.stage, record.seq, record.origin, result.skip.reason);
    else ledger.reject(step.stage, record.seq, record.origin, result.rejection ?? noRejection(step), original);
    return false;
  }
  record.data = result.value;
  return true;
}

/** The rejection of an `{ok: false}` answer that says neither why nor that it is a skip. */
function noRejection(step: OpenedTransform): Rejection {
  return { reason: `${step.name} answered {ok: false} without a rejection or a skip (a bug in the plugin)` };
}

/**
 * A plugin signalling a run-wide problem (an IdflowError such as FatalError) stops the run; any
 * other exception is about this record: it goes to the dead-letter output like a rejection. So
 * does a time-out, unless the transform keeps timing out (it is stuck: the run stops).
 */
function rejectThrown(error: unknown, step: OpenedTransform, record: RecordEnvelope, original: unknown, run: TransformRun): false {
  if (error instanceof IdflowError) {
    run.stop.request('failed', error);
    return false;
  }
  if (error instanceof PluginTimeoutError) {
    run.ledger.reject(step.stage, record.seq, record.origin, { reason: error.message }, original);
    run.timeoutsInARow += 1;
    if (run.timeoutsInARow >= STUCK_AFTER_TIMEOUTS) {
      run.stop.request('failed', new FatalError(`${error.message} for ${run.timeoutsInARow} records in a row: it seems stuck, so the run stops (see timeouts.transform)`, 'TRANSFORM_STUCK'));
    }
    return false;
  }
  const message = error instanceof Error ? error.message : String(error);
  run.ledger.reject(step.stage, record.seq, record.origin, { reason: `${step.name} threw: ${message}` }, original);
  return false;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
