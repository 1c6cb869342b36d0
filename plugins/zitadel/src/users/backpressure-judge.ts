// A 429 usually means "too fast", but a flaky service also throws some at random, whatever the
// pace. Cutting on every one would shrink the client to nothing. So the judge learns the noise
// floor (the median share of throttled answers over the last ten windows) and calls for a cut
// only when the share rises clearly above it.

export type Verdict = 'calm' | 'cut' | 'overload';

/** Share of throttled answers no random fault explains: far over capacity. */
export const overloadShare = 0.5;
const floorWindows = 10;
const minAnswers = 10;

export class BackpressureJudge {
  private readonly recentShares: number[] = [];

  /** The share of throttled answers that random faults alone produce (0 when none seen). */
  get noiseFloor(): number {
    if (this.recentShares.length < 3) return 0;
    const sorted = [...this.recentShares].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  /** Judges one closed window from its number of answers and of throttled ones. */
  judge(answers: number, throttled: number): Verdict {
    const share = throttled / Math.max(1, answers);
    const floor = this.noiseFloor;
    if (answers >= minAnswers) {
      this.recentShares.push(share);
      if (this.recentShares.length > floorWindows) this.recentShares.shift();
    }
    if (share >= overloadShare && throttled >= 3) return 'overload';
    if (throttled >= 2 && share > Math.max(0.02, 2 * floor)) return 'cut';
    return 'calm';
  }
}
