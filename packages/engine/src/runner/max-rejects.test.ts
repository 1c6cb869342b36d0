import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { emptyCounts } from './run-tally.js';
import { checkRejectLimit, parseMaxRejects } from './max-rejects.js';

const counts = (read: number, rejected: number) => ({ ...emptyCounts(), read, rejected });

describe('maxRejects', () => {
  it('parses counts and percentages, refusing anything else', () => {
    expect(parseMaxRejects(10)).toEqual({ kind: 'count', max: 10 });
    expect(parseMaxRejects('25')).toEqual({ kind: 'count', max: 25 });
    expect(parseMaxRejects('2.5%')).toEqual({ kind: 'percent', max: 2.5, text: '2.5%' });
    expect(parseMaxRejects(undefined)).toBeUndefined();
    for (const bad of ['5 percent', '150%', -1]) expect(() => parseMaxRejects(bad)).toThrow(ConfigError);
  });

  it('passes a count only when exceeded; a percentage only with 1,000 records read or at the end', () => {
    const count = parseMaxRejects(2);
    expect(checkRejectLimit(count, counts(10, 2), false)).toBeUndefined();
    expect(checkRejectLimit(count, counts(10, 3), false)).toBe('stopped: 3 records rejected > 2 (maxRejects); see the dead-letter output');
    const percent = parseMaxRejects('8%');
    expect(checkRejectLimit(percent, counts(500, 400), false)).toBeUndefined();
    expect(checkRejectLimit(percent, counts(500, 400), true)).toBe('stopped: 400 of 500 rejected = 80.0 % > 8 % (maxRejects); see the dead-letter output');
    expect(checkRejectLimit(percent, counts(1000, 80), false)).toBeUndefined();
    expect(checkRejectLimit(percent, counts(1000, 112), false)).toBe('stopped: 112 of 1,000 rejected = 11.2 % > 8 % (maxRejects); see the dead-letter output');
    expect(checkRejectLimit(parseMaxRejects('2.5%'), counts(1_234_567, 40_000), false)).toMatch(/40,000 of 1,234,567 rejected = 3\.2 % > 2\.5 %/);
  });

  it('leaves skipped users out: a skip is no reject, and the share is of the users not skipped', () => {
    const skipping = (read: number, skipped: number, rejected: number) => ({ ...counts(read, rejected), skipped });
    expect(checkRejectLimit(parseMaxRejects(2), skipping(10_000, 9_000, 2), true)).toBeUndefined();
    const percent = parseMaxRejects('8%');
    // 100 of 5,000 read = 2 %, but of the 1,200 not skipped it is 8.3 %.
    expect(checkRejectLimit(percent, skipping(5_000, 3_800, 100), false)).toBe(
      'stopped: 100 of 1,200 not skipped rejected = 8.3 % > 8 % (maxRejects); see the dead-letter output',
    );
    // Fewer than 1,000 not skipped: no sample yet mid-run, judged at the end.
    expect(checkRejectLimit(percent, skipping(5_000, 4_500, 100), false)).toBeUndefined();
    expect(checkRejectLimit(percent, skipping(5_000, 4_500, 100), true)).toMatch(/100 of 500 not skipped rejected = 20\.0 %/);
    expect(checkRejectLimit(percent, skipping(5_000, 5_000, 0), true)).toBeUndefined();
  });
});
