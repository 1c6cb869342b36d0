// Which records are acknowledged (the sink answered, or their dead-letter line was written).
// Acknowledgements arrive out of order (concurrent batches, rejects acked at once), so progress is
// a low-water mark — every seq up to it is acknowledged — plus the few acknowledged seqs above it.
// Only this, never "records read", goes into a checkpoint: a resumed run re-sends nothing acked.

import type { Origin } from '../plugin.js';

/** A consistent copy of the acknowledgement state, taken synchronously for a checkpoint. */
export interface AckSnapshot {
  /** Every seq ≤ watermark is acknowledged (0: none yet). */
  watermark: number;
  /** Origin of the record at `watermark`: the source resumes strictly after it. */
  watermarkOrigin?: Origin;
  /** Acknowledged seqs above the watermark, ascending. */
  above: number[];
}

export class AckTracker {
  private watermark: number;
  private watermarkOrigin: Origin | undefined;
  /** Acknowledged seqs above the watermark, with their origins for when the watermark reaches them. */
  private readonly pending = new Map<number, Origin>();
  /** Seqs a previous run acknowledged above its watermark that this run has not reached yet. */
  private readonly restoredAbove: Set<number>;

  constructor(resumed?: AckSnapshot) {
    this.watermark = resumed?.watermark ?? 0;
    this.watermarkOrigin = resumed?.watermarkOrigin;
    this.restoredAbove = new Set(resumed?.above ?? []);
  }

  /** Where numbering starts: the first record the source yields gets this seq. */
  get firstSeq(): number {
    return this.watermark + 1;
  }

  /**
   * True when a previous run already acknowledged `seq`: the runner must not send it again. It is
   * acknowledged here with its real origin, so the watermark can move over it.
   */
  skipIfAcknowledged(seq: number, origin: Origin): boolean {
    if (this.restoredAbove.size === 0 || !this.restoredAbove.delete(seq)) return false;
    this.ack(seq, origin);
    return true;
  }

  /** Records `seq` as acknowledged; cheap in the common in-order case (no map traffic). */
  ack(seq: number, origin: Origin): void {
    if (seq !== this.watermark + 1) {
      this.pending.set(seq, origin);
      return;
    }
    this.watermark = seq;
    this.watermarkOrigin = origin;
    if (this.pending.size === 0) return;
    let next = this.pending.get(seq + 1);
    while (next !== undefined) {
      this.pending.delete(this.watermark + 1);
      this.watermark += 1;
      this.watermarkOrigin = next;
      next = this.pending.get(this.watermark + 1);
    }
  }

  /** The state to save; synchronous, so it is consistent with everything else taken in the same tick. */
  snapshot(): AckSnapshot {
    const above = [...this.pending.keys(), ...this.restoredAbove].sort((a, b) => a - b);
    return { watermark: this.watermark, watermarkOrigin: this.watermarkOrigin, above };
  }
}
