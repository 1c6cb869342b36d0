import { describe, expect, it } from 'vitest';
import { BackpressureJudge } from './backpressure-judge.js';

describe('BackpressureJudge', () => {
  it('cuts when throttling rises above nothing, and calls a huge share overload', () => {
    const judge = new BackpressureJudge();
    expect(judge.judge(100, 0)).toBe('calm');
    expect(judge.judge(100, 1)).toBe('calm'); // one straggler
    expect(judge.judge(100, 5)).toBe('cut');
    expect(judge.judge(100, 60)).toBe('overload');
  });
  it('learns the noise floor of random 429s and only cuts above it', () => {
    const judge = new BackpressureJudge();
    const verdicts = [5, 4, 6, 5, 5, 4, 6, 5].map((throttled) => judge.judge(100, throttled));
    expect(judge.noiseFloor).toBeCloseTo(0.05);
    expect(verdicts.slice(3).every((v) => v === 'calm')).toBe(true);
    expect(judge.judge(100, 12)).toBe('cut');
  });
});
