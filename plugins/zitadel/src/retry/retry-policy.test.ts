import { describe, expect, it } from 'vitest';
import { backoffDelayMs, formatGoDuration, parseDurationMs, parseRetryAfterMs, resolveRetryPolicy, retryWithBackoff } from './retry-policy.js';

describe('durations', () => {
  it('parses Go-style and bare durations', () => {
    expect(parseDurationMs('5m0s')).toBe(300_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1500')).toBe(1500);
    expect(parseDurationMs(42)).toBe(42);
    expect(() => parseDurationMs('5 minutes')).toThrow(/invalid duration/);
  });
  it('formats ms as a Go duration ZITADEL accepts', () => {
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
    expect(formatGoDuration(2_000)).toBe('2s');
  });
});

describe('backoff', () => {
  const policy = resolveRetryPolicy({ initialDelay: 100, maxDelay: 1000 });
  it('doubles up to the cap, with jitter in the upper half', () => {
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(100);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(400);
    expect(backoffDelayMs(policy, 10, () => 1)).toBe(1000);
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});

describe('retryWithBackoff', () => {
  it('retries until done and counts attempts', async () => {
    const policy = resolveRetryPolicy({ attempts: 5, initialDelay: 1, maxDelay: 2 });
    const result = await retryWithBackoff(policy, async (n) => (n < 3 ? { kind: 'retry', reason: `fail ${n}` } : { kind: 'done', value: 'ok' }));
    expect(result).toEqual({ kind: 'done', value: 'ok', attempts: 3 });
  });
  it('stops after the attempt budget with the last reason', async () => {
    const policy = resolveRetryPolicy({ attempts: 3, initialDelay: 1, maxDelay: 2 });
    let calls = 0;
    const result = await retryWithBackoff(policy, async () => ({ kind: 'retry', reason: `fail ${++calls}` }));
    expect(calls).toBe(3);
    expect(result).toMatchObject({ kind: 'exhausted', reason: 'fail 3' });
  });
  it('stops when a Retry-After would pass the elapsed budget', async () => {
    const policy = resolveRetryPolicy({ attempts: 10, maxElapsed: 1000 });
    let calls = 0;
    const result = await retryWithBackoff(policy, async () => ({ kind: 'retry', reason: 'HTTP 429', retryAfterMs: 5000 + calls++ }));
    expect(calls).toBe(1);
    expect(result.kind).toBe('exhausted');
  });
});
