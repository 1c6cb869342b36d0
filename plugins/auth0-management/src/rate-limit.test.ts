import { describe, expect, it } from 'vitest';
import { bucketEmpty, RATE_LIMIT_MARGIN_MS, serverWaitMs } from './rate-limit.js';

describe('rate-limit answers', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('waits until x-ratelimit-reset (UNIX seconds), plus a margin', () => {
    expect(serverWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 3) }, now)).toBe(3000 + RATE_LIMIT_MARGIN_MS);
    expect(serverWaitMs({ 'x-ratelimit-reset': String(now / 1000 - 5) }, now)).toBe(RATE_LIMIT_MARGIN_MS);
  });
  it('prefers Retry-After, in seconds or as a date', () => {
    expect(serverWaitMs({ 'retry-after': '2', 'x-ratelimit-reset': String(now / 1000 + 30) }, now)).toBe(2000 + RATE_LIMIT_MARGIN_MS);
    expect(serverWaitMs({ 'retry-after': new Date(now + 4000).toUTCString() }, now)).toBe(4000 + RATE_LIMIT_MARGIN_MS);
  });
  it('says nothing without either header, or with unreadable ones', () => {
    expect(serverWaitMs({}, now)).toBeUndefined();
    expect(serverWaitMs({ 'x-ratelimit-reset': 'soon' }, now)).toBeUndefined();
  });
  it('sees an empty bucket', () => {
    expect(bucketEmpty({ 'x-ratelimit-remaining': '0' })).toBe(true);
    expect(bucketEmpty({ 'x-ratelimit-remaining': '3' })).toBe(false);
    expect(bucketEmpty({})).toBe(false);
  });
});
