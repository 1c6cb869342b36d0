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

  it('passes a count only when exceeded; a percentage only with enough records read or at the end', () => {
    const count = parseMaxRejects(2);
    expect(checkRejectLimit(count, counts(10, 2), false)).toBeUndefined();
    expect(checkRejectLimit(count, counts(10, 3), false)).toMatch(/3 records rejected, more than maxRejects \(2\)/);
    const percent = parseMaxRejects('10%');
    expect(checkRejectLimit(percent, counts(50, 40), false)).toBeUndefined();
    expect(checkRejectLimit(percent, counts(50, 40), true)).toMatch(/40 of 50 records rejected \(80\.0%\)/);
    expect(checkRejectLimit(percent, counts(200, 20), false)).toBeUndefined();
    expect(checkRejectLimit(percent, counts(200, 21), false)).toMatch(/more than maxRejects \(10%\)/);
  });
});
