import { describe, expect, it } from 'vitest';
import { formatCount } from './format-count.js';

describe('formatCount', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    const values = [0, 7, 12, 999, 1000, 1001, 65_536, 999_999, 1_000_000, 12_345_678, 2 ** 40 + 3, -1, -1234, -999_999];
    for (const value of values) expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
  });

  it('rounds fractions the way a count is shown', () => {
    expect(formatCount(1234.4)).toBe('1,234');
    expect(formatCount(1234.5)).toBe('1,235');
    expect(formatCount(-0.2)).toBe('0');
  });

  it('leaves non-finite values readable', () => {
    expect(formatCount(Number.NaN)).toBe('NaN');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
