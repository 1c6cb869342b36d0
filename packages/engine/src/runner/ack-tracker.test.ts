import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker.js';

const at = (line: number) => ({ file: 'f', line, offset: line * 10 });

describe('AckTracker', () => {
  it('moves the low-water mark over contiguous acknowledgements, whatever their order', () => {
    const tracker = new AckTracker();
    tracker.ack(1, at(1));
    tracker.ack(3, at(3));
    tracker.ack(5, at(5));
    expect(tracker.snapshot()).toEqual({ watermark: 1, watermarkOrigin: at(1), above: [[3, 3], [5, 5]] });
    tracker.ack(2, at(2));
    expect(tracker.snapshot()).toEqual({ watermark: 3, watermarkOrigin: at(3), above: [[5, 5]] });
    tracker.ack(4, at(4));
    expect(tracker.snapshot()).toEqual({ watermark: 5, watermarkOrigin: at(5), above: [] });
  });

  it('keeps a million acknowledgements behind one unacknowledged record as one range, and catches up over it', () => {
    const tracker = new AckTracker();
    tracker.ack(1, at(1));
    // 2 is never acknowledged in this run (the target was away for it); the rest are, a bit out of order.
    for (let seq = 3; seq <= 1_000_000; seq += 2) {
      tracker.ack(seq + 1, at(seq + 1));
      tracker.ack(seq, at(seq));
    }
    expect(tracker.snapshot()).toEqual({ watermark: 1, watermarkOrigin: at(1), above: [[3, 1_000_000]] });
    expect(tracker.aboveCount).toBe(999_998);
    tracker.ack(2, at(2));
    expect(tracker.snapshot()).toEqual({ watermark: 1_000_000, watermarkOrigin: at(1_000_000), above: [] });
  });

  it('merges ranges that meet, and ignores a seq acknowledged twice', () => {
    const tracker = new AckTracker();
    for (const seq of [10, 12, 11, 20, 11, 19, 5]) tracker.ack(seq, at(seq));
    expect(tracker.snapshot().above).toEqual([[5, 5], [10, 12], [19, 20]]);
  });

  it('restores a saved state: numbering continues after the watermark, saved seqs are skipped once', () => {
    const tracker = new AckTracker({ watermark: 10, watermarkOrigin: at(10), above: [[12, 13], [15, 15]] });
    expect(tracker.firstSeq).toBe(11);
    expect(tracker.snapshot().above).toEqual([[12, 13], [15, 15]]);
    expect(tracker.skipIfAcknowledged(11, at(11))).toBe(false);
    tracker.ack(11, at(11));
    expect(tracker.skipIfAcknowledged(12, at(12))).toBe(true);
    expect(tracker.skipIfAcknowledged(12, at(12))).toBe(false);
    // 13 not reached yet: still saved as acknowledged, and the watermark stops before it.
    expect(tracker.snapshot()).toEqual({ watermark: 12, watermarkOrigin: at(12), above: [[13, 13], [15, 15]] });
    expect(tracker.skipIfAcknowledged(13, at(13))).toBe(true);
    expect(tracker.skipIfAcknowledged(14, at(14))).toBe(false);
    expect(tracker.skipIfAcknowledged(15, at(15))).toBe(true);
    // 14 is still to be sent: the watermark waits for it.
    expect(tracker.snapshot()).toEqual({ watermark: 13, watermarkOrigin: at(13), above: [[15, 15]] });
    tracker.ack(14, at(14));
    expect(tracker.snapshot()).toEqual({ watermark: 15, watermarkOrigin: at(15), above: [] });
  });
});
