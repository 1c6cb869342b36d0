import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker.js';

const at = (line: number) => ({ file: 'f', line, offset: line * 10 });

describe('AckTracker', () => {
  it('moves the low-water mark over contiguous acknowledgements, whatever their order', () => {
    const tracker = new AckTracker();
    tracker.ack(1, at(1));
    tracker.ack(3, at(3));
    tracker.ack(5, at(5));
    expect(tracker.snapshot()).toEqual({ watermark: 1, watermarkOrigin: at(1), above: [3, 5] });
    tracker.ack(2, at(2));
    expect(tracker.snapshot()).toEqual({ watermark: 3, watermarkOrigin: at(3), above: [5] });
    tracker.ack(4, at(4));
    expect(tracker.snapshot()).toEqual({ watermark: 5, watermarkOrigin: at(5), above: [] });
  });

  it('restores a saved state: numbering continues after the watermark, saved seqs are skipped once', () => {
    const tracker = new AckTracker({ watermark: 10, watermarkOrigin: at(10), above: [12, 13] });
    expect(tracker.firstSeq).toBe(11);
    expect(tracker.snapshot().above).toEqual([12, 13]);
    expect(tracker.skipIfAcknowledged(11, at(11))).toBe(false);
    tracker.ack(11, at(11));
    expect(tracker.skipIfAcknowledged(12, at(12))).toBe(true);
    expect(tracker.skipIfAcknowledged(12, at(12))).toBe(false);
    // 13 not reached yet: still saved as acknowledged, and the watermark stops before it.
    expect(tracker.snapshot()).toEqual({ watermark: 12, watermarkOrigin: at(12), above: [13] });
    expect(tracker.skipIfAcknowledged(13, at(13))).toBe(true);
    expect(tracker.snapshot()).toEqual({ watermark: 13, watermarkOrigin: at(13), above: [] });
  });
});
