import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveRate } from './adaptive-rate.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Feeds one simulated second of `answers` answers; `isThrottled(i)` marks the 429s. */
function second(rate: AdaptiveRate, answers: number, isThrottled: (i: number) => boolean) {
  for (let i = 0; i < answers; i++) {
    vi.advanceTimersByTime(1000 / answers);
    rate.record(isThrottled(i));
  }
}

describe('AdaptiveRate', () => {
  it('slow-starts, and on an overshoot drops to what the target accepted', () => {
    const rate = new AdaptiveRate(0, true);
    expect(rate.rate).toBe(50);
    second(rate, 50, () => false);
    expect(rate.rate).toBe(100);
    // The target accepts 100/s: at 200/s half the answers are 429.
    second(rate, 200, (i) => i % 2 === 1);
    expect(rate.rate).toBeLessThanOrEqual(100);
    expect(rate.rate).toBeGreaterThan(30);
    expect(rate.cuts).toBeGreaterThan(0);
    // Under the limit again, it climbs back.
    const after = rate.rate;
    second(rate, Math.round(after), () => false);
    second(rate, Math.round(rate.rate), () => false);
    expect(rate.rate).toBeGreaterThan(after);
  });

  it('keeps growing through a steady share of random 429s that do not depend on the pace', () => {
    const rate = new AdaptiveRate(0, true);
    for (let s = 0; s < 5; s++) second(rate, Math.round(Math.min(rate.rate, 400)), (i) => i % 20 === 7);
    expect(rate.cuts).toBe(0);
    expect(rate.rate).toBeGreaterThanOrEqual(800);
  });

  it('never passes the configured rateLimit, and does nothing when not adaptive', () => {
    const capped = new AdaptiveRate(40, true);
    for (let s = 0; s < 3; s++) second(capped, 40, () => false);
    expect(capped.rate).toBe(40);
    const fixed = new AdaptiveRate(40, false);
    second(fixed, 40, () => true);
    expect(fixed.rate).toBe(40);
  });
});
