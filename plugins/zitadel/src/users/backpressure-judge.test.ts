import { describe, expect, it } from 'vitest';
import { BackpressureJudge } from './backpressure-judge.js';

describe('BackpressureJudge', () => {
  it('cuts on throttling, calls it noise when a cut did not reduce it, and calm without it', () => {
    const judge = new BackpressureJudge();
    expect(judge.judge(100, 0)).toBe('calm');
    expect(judge.judge(100, 10)).toBe('cut');
    expect(judge.judge(100, 2)).toBe('cut'); // fell from 10% to 2%: the cut worked, keep cutting
    expect(judge.judge(100, 0)).toBe('calm');
    expect(judge.judge(100, 5)).toBe('cut');
    expect(judge.judge(100, 5)).toBe('noise');
    expect(judge.judge(100, 5)).toBe('cut');
    expect(judge.judge(30, 2)).toBe('cut'); // two stragglers: too few to call it noise
  });
});
