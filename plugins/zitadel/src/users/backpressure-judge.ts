// A 429 usually means "too fast", but a flaky service also throws a few at random. Cutting on
// every one would shrink the client to nothing under random faults. So a cut is put to the test:
// if the next window's share of throttled answers did not fall, the throttling was not caused by
// our pace, and the cut is undone.

export type Verdict = 'calm' | 'cut' | 'noise';

export class BackpressureJudge {
  private fractionAtCut: number | undefined;

  /** Judges one closed window from its number of answers and of throttled ones. */
  judge(answers: number, throttled: number): Verdict {
    if (throttled === 0) {
      this.fractionAtCut = undefined;
      return 'calm';
    }
    const fraction = throttled / Math.max(1, answers);
    // A handful of 429s is the tail of a real cut (requests already on the wire), not noise.
    if (this.fractionAtCut !== undefined && throttled >= 5 && fraction >= 0.7 * this.fractionAtCut) {
      this.fractionAtCut = undefined;
      return 'noise';
    }
    this.fractionAtCut = fraction;
    return 'cut';
  }
}
