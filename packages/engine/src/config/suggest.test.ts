import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from './suggest.js';

describe('closestMatch', () => {
  it('finds a one-letter typo', () => {
    expect(closestMatch('pth', ['path', 'gzip'])).toBe('path');
    expect(closestMatch('sinc', ['source', 'sink', 'dlq'])).toBe('sink');
    expect(closestMatch('feild', ['field', 'mask'])).toBe('field');
    expect(closestMatch('id', ['dlq', 'name'])).toBeUndefined();
  });
  it('treats case differences as the closest match', () => {
    expect(closestMatch('batchsize', ['batchSize', 'batchBytes'])).toBe('batchSize');
  });
  it('suggests nothing when no candidate is close', () => {
    expect(closestMatch('colour', ['path', 'gzip'])).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('formats the suggestion or nothing', () => {
    expect(didYouMean('concurency', ['concurrency', 'checkpoint'])).toBe(' (did you mean "concurrency"?)');
    expect(didYouMean('zzz', ['concurrency'])).toBe('');
  });
});
