// Where every record's fate is booked: delivered, rejected (with a dead-letter line and a line of
// failures.csv), skipped (left out on purpose: counted by reason, no dead-letter line, not a reject
// for `maxRejects`), counted only (dry run) — each of which acknowledges it, which is what
// checkpoints are made of, and writes the warnings held for it — or undeliverable: the target was
// away, the record is not final, so it is counted and left unacknowledged for the next run to send
// again (never dead-lettered: it is not refused; its warnings come again with it).

import type { IdflowError } from '../errors.js';
import type { Origin, RecordEnvelope, Rejection } from '../plugin.js';
import type { AckTracker } from './ack-tracker.js';
import { formatOrigin } from './dead-letter-writer.js';
import { type RejectLimit, checkRejectLimit } from './max-rejects.js';
import type { RecordFiles } from './record-files.js';
import type { RunEvents } from './run-events.js';
import type { RunTally } from './run-tally.js';
import type { DeliveredOutcome, DeliveryOutcomes } from './sink-dispatcher.js';
import type { StopControl } from './stop-control.js';

export class RecordLedger implements DeliveryOutcomes {
  private warnedNoDlq = false;

  constructor(
    private readonly tracker: AckTracker,
    private readonly tally: RunTally,
    private readonly files: RecordFiles,
    private readonly events: RunEvents,
    private readonly stop: StopControl,
    private readonly rejectLimit: RejectLimit | undefined,
    /** `sink:<name>`. */
    private readonly sinkStage: string,
  ) {}

  delivered(record: RecordEnvelope, outcome: DeliveredOutcome): void {
    if (outcome.status === 'updated') this.tally.addUpdated(outcome.changes);
    else this.tally.live[outcome.status] += 1;
    this.tally.acknowledged(true);
    this.ack(record.seq, record.origin);
  }

  /** Dry run: the record made it through every transform; nothing is sent. */
  transformedOnly(record: RecordEnvelope): void {
    this.tally.acknowledged(true);
    this.ack(record.seq, record.origin);
  }

  /**
   * A record left out on purpose by a transform or the sink: final like a delivered one (a resumed
   * run does not see it again), but no dead-letter line and no event (a filter may skip millions).
   */
  skip(stage: string, seq: number, origin: Origin, reason: string, reachedSink = false): void {
    this.tally.addSkip(stage, reason);
    this.tally.acknowledged(reachedSink);
    this.ack(seq, origin);
  }

  /** A record refused by the source, a transform or the sink. */
  reject(stage: string, seq: number, origin: Origin, rejection: Rejection, record: unknown, reachedSink = false): void {
    this.deadLetter(stage, origin, rejection.reason, record, rejection.detail);
    this.tally.live.rejected += 1;
    this.tally.addReason(stage, rejection.reason);
    this.tally.acknowledged(reachedSink);
    this.ack(seq, origin);
    this.events.emit({ type: 'reject', stage, reason: rejection.reason, origin });
    if (!this.rejectLimit) return;
    const overLimit = checkRejectLimit(this.rejectLimit, this.tally.totals(), false);
    if (overLimit) this.stop.request('max-rejects', overLimit);
  }

  /** Refused input that is not a record of its own (e.g. a password without a profile). */
  rejectAuxiliary(seq: number, origin: Origin, rejection: Rejection): void {
    this.deadLetter('source', origin, rejection.reason, rejection.raw, rejection.detail);
    this.tally.live.auxiliaryRejected += 1;
    this.tally.addReason('source', rejection.reason);
    this.ack(seq, origin);
    this.events.emit({ type: 'reject', stage: 'source', reason: rejection.reason, origin });
  }

  rejected(record: RecordEnvelope, original: unknown, reason: string, detail?: { [key: string]: unknown }): void {
    this.reject(this.sinkStage, record.seq, record.origin, { reason, detail }, original, true);
  }

  skipped(record: RecordEnvelope, reason: string): void {
    this.skip(this.sinkStage, record.seq, record.origin, reason, true);
  }

  undeliverable(record: RecordEnvelope, lastReason: string): void {
    this.tally.addUndeliverable(lastReason);
    if (this.files.warnings.holding) this.files.warnings.dropped(record.seq);
    this.events.emit({ type: 'undeliverable', reason: lastReason, origin: record.origin });
  }

  fatal(error: IdflowError): void {
    this.stop.request('failed', error);
  }

  /** Acknowledges `seq`: the checkpoint may count it, and the warnings held for it are written. */
  private ack(seq: number, origin: Origin): void {
    this.tracker.ack(seq, origin);
    if (this.files.warnings.holding) this.files.warnings.acknowledged(seq);
  }

  private deadLetter(stage: string, origin: Origin, reason: string, record: unknown, detail?: { [key: string]: unknown }): void {
    const { dlq, failures, warnings } = this.files;
    if (!dlq.path && !this.warnedNoDlq) {
      this.warnedNoDlq = true;
      const message = 'records are being rejected but the pipeline has no `dlq:`; they are only counted and logged';
      warnings.note('runner', 'runner', message, undefined, 'no dead-letter output');
      this.events.emit({ type: 'warning', plugin: 'runner', message });
    }
    const at = formatOrigin(origin);
    dlq.write({ stage, reason, origin: at, offset: origin.offset, record, ...(detail ? { detail } : {}) });
    failures.add(stage, reason, at, record, detail);
  }
}
