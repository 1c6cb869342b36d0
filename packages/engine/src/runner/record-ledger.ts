// Where every record's fate is booked: delivered, rejected (with a dead-letter line), counted only
// (dry run) — each of which acknowledges it, which is what checkpoints are made of — or
// undeliverable: the target was away, the record is not final, so it is counted and left
// unacknowledged for the next run to send again (never dead-lettered: it is not refused).

import type { IdflowError } from '../errors.js';
import type { Origin, RecordEnvelope, Rejection } from '../plugin.js';
import type { AckTracker } from './ack-tracker.js';
import { type DeadLetterWriter, formatOrigin } from './dead-letter-writer.js';
import { type RejectLimit, checkRejectLimit } from './max-rejects.js';
import type { RunEvents } from './run-events.js';
import type { RunTally } from './run-tally.js';
import type { DeliveredOutcome, DeliveryOutcomes } from './sink-dispatcher.js';
import type { StopControl } from './stop-control.js';

export class RecordLedger implements DeliveryOutcomes {
  private warnedNoDlq = false;

  constructor(
    private readonly tracker: AckTracker,
    private readonly tally: RunTally,
    private readonly dlq: DeadLetterWriter,
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
    this.tracker.ack(record.seq, record.origin);
  }

  /** Dry run: the record made it through every transform; nothing is sent. */
  transformedOnly(record: RecordEnvelope): void {
    this.tally.acknowledged(true);
    this.tracker.ack(record.seq, record.origin);
  }

  /** A record refused by the source, a transform or the sink. */
  reject(stage: string, seq: number, origin: Origin, rejection: Rejection, record: unknown, reachedSink = false): void {
    this.deadLetter(stage, origin, rejection.reason, record, rejection.detail);
    this.tally.live.rejected += 1;
    this.tally.addReason(stage, rejection.reason);
    this.tally.acknowledged(reachedSink);
    this.tracker.ack(seq, origin);
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
    this.tracker.ack(seq, origin);
    this.events.emit({ type: 'reject', stage: 'source', reason: rejection.reason, origin });
  }

  rejected(record: RecordEnvelope, original: unknown, reason: string, detail?: { [key: string]: unknown }): void {
    this.reject(this.sinkStage, record.seq, record.origin, { reason, detail }, original, true);
  }

  undeliverable(record: RecordEnvelope, lastReason: string): void {
    this.tally.addUndeliverable(lastReason);
    this.events.emit({ type: 'undeliverable', reason: lastReason, origin: record.origin });
  }

  fatal(error: IdflowError): void {
    this.stop.request('failed', error);
  }

  private deadLetter(stage: string, origin: Origin, reason: string, record: unknown, detail?: { [key: string]: unknown }): void {
    if (!this.dlq.path && !this.warnedNoDlq) {
      this.warnedNoDlq = true;
      this.tally.warnings += 1;
      this.events.emit({
        type: 'warning',
        plugin: 'runner',
        message: 'records are being rejected but the pipeline has no `dlq:`; they are only counted and logged',
      });
    }
    this.dlq.write({ stage, reason, origin: formatOrigin(origin), offset: origin.offset, record, ...(detail ? { detail } : {}) });
  }
}
