// Which records are acknowledged (the sink answered for them for good, or their dead-letter line
// was written). Acknowledgements arrive out of order (concurrent batches, rejects acked at once), so
// progress is a low-water mark — every seq up to it is acknowledged — plus the acknowledged runs of
// seqs above it. Only this, never "records read", goes into a checkpoint: a resumed run re-sends
// nothing acked, and re-sends every record left unacknowledged (one the target was away for).
//
// Above the mark acknowledgements are kept as ranges, not one entry per seq: a record the target
// never took early in a run holds the mark back while millions are acknowledged after it, and
// those must cost a range, not a million map entries (nor a million numbers in every checkpoint).

import type { Origin } from '../plugin.js';

/** First and last seq of a run of acknowledged records, both included. */
export type SeqRange = [first: number, last: number];

/** A consistent copy of the acknowledgement state, taken synchronously for a checkpoint. */
export interface AckSnapshot {
  /** Every seq ≤ watermark is acknowledged (0: none yet). */
  watermark: number;
  /** Origin of the record at `watermark`: the source resumes strictly after it. */
  watermarkOrigin?: Origin;
  /** Acknowledged ranges above the watermark, ascending, apart from each other. */
  above: SeqRange[];
}

/** A range acknowledged in this run, with the origin of its last record (for when the mark reaches it). */
interface LiveRange {
  first: number;
  last: number;
  lastOrigin: Origin;
}

export class AckTracker {
  private watermark: number;
  private watermarkOrigin: Origin | undefined;
  /** Acknowledged ranges above the watermark, ascending. */
  private readonly ranges: LiveRange[] = [];
  /** Ranges a previous run acknowledged above its watermark that this run has not reached yet, ascending. */
  private readonly restored: SeqRange[];

  constructor(resumed?: AckSnapshot) {
    this.watermark = resumed?.watermark ?? 0;
    this.watermarkOrigin = resumed?.watermarkOrigin;
    this.restored = (resumed?.above ?? []).map(([first, last]): SeqRange => [first, last]);
  }

  /** Where numbering starts: the first record the source yields gets this seq. */
  get firstSeq(): number {
    return this.watermark + 1;
  }

  /**
   * True when a previous run already acknowledged `seq`: the runner must not send it again. It is
   * acknowledged here with its real origin, so the watermark can move over it. Seqs come in order.
   */
  skipIfAcknowledged(seq: number, origin: Origin): boolean {
    const restored = this.restored;
    if (restored.length === 0) return false;
    while (restored.length > 0 && restored[0][1] < seq) restored.shift();
    const head = restored[0];
    if (head === undefined || seq < head[0]) return false;
    if (seq === head[1]) restored.shift();
    else head[0] = seq + 1;
    this.ack(seq, origin);
    return true;
  }

  /** Records `seq` as acknowledged; cheap in the common in-order case (no range traffic). */
  ack(seq: number, origin: Origin): void {
    if (seq === this.watermark + 1) {
      this.watermark = seq;
      this.watermarkOrigin = origin;
      const next = this.ranges[0];
      if (next !== undefined && next.first <= seq + 1) {
        this.watermark = next.last;
        this.watermarkOrigin = next.lastOrigin;
        this.ranges.shift();
      }
      return;
    }
    if (seq <= this.watermark) return;
    this.addAbove(seq, origin);
  }

  /** Acknowledged seqs above the watermark (for tests and progress). */
  get aboveCount(): number {
    return this.ranges.reduce((sum, range) => sum + range.last - range.first + 1, 0);
  }

  /** The state to save; synchronous, so it is consistent with everything else taken in the same tick. */
  snapshot(): AckSnapshot {
    const all: SeqRange[] = [...this.ranges.map((r): SeqRange => [r.first, r.last]), ...this.restored.map((r): SeqRange => [r[0], r[1]])];
    all.sort((a, b) => a[0] - b[0]);
    const above: SeqRange[] = [];
    for (const range of all) {
      const last = above[above.length - 1];
      if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
      else above.push(range);
    }
    return { watermark: this.watermark, watermarkOrigin: this.watermarkOrigin, above };
  }

  private addAbove(seq: number, origin: Origin): void {
    const ranges = this.ranges;
    // Acknowledgements mostly land at the end (or next to the end): look there first.
    let i = ranges.length;
    while (i > 0 && ranges[i - 1].first > seq) i--;
    const before = ranges[i - 1];
    if (before && seq <= before.last) return;
    const after = ranges[i];
    const joinsBefore = before !== undefined && before.last + 1 === seq;
    const joinsAfter = after !== undefined && after.first === seq + 1;
    if (joinsBefore && joinsAfter) {
      before.last = after.last;
      before.lastOrigin = after.lastOrigin;
      ranges.splice(i, 1);
    } else if (joinsBefore) {
      before.last = seq;
      before.lastOrigin = origin;
    } else if (joinsAfter) {
      after.first = seq;
    } else {
      ranges.splice(i, 0, { first: seq, last: seq, lastOrigin: origin });
    }
  }
}
