import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['5m0s', 300_000],
    ['30m', 1_800_000],
    ['1.5s', 1_500],
    ['300ms', 300],
    ['1h2m3s', 3_723_000],
    ['0', 0],
    ['.5s', 500],
    ['1500us', 1.5],
  ])('parses %s', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', 'abc', '1.s.s', 's'])('rejects %j with Go’s message', (text) => {
    expect(() => parseGoDuration(text)).toThrow(/^time: (invalid duration|unknown unit|missing unit)/);
  });

  it('names an unknown unit', () => {
    expect(() => parseGoDuration('3d')).toThrow('time: unknown unit "d" in duration "3d"');
  });
});
