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
});
