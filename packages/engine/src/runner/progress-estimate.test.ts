import { describe, expect, it } from 'vitest';
import type { RunCounts } from '../pipeline.js';
import { estimateUsersTotal, ProgressEstimator } from './progress-estimate.js';
import { emptyCounts } from './run-tally.js';

function counts(over: Partial<RunCounts>): RunCounts {
  return { ...emptyCounts(), ...over };
}

describe('estimateUsersTotal', () => {
  it('scales the users read by the share of the input read, and counts once the source is exhausted', () => {
    expect(estimateUsersTotal(0, { done: 100, total: 1000 }, false)).toBeUndefined();
    expect(estimateUsersTotal(500, undefined, false)).toBeUndefined();
    expect(estimateUsersTotal(500, { done: 0, total: 1000 }, false)).toBeUndefined();
    expect(estimateUsersTotal(30_000, { done: 10_000_000, total: 100_000_000 }, false)).toBe(300_000);
    expect(estimateUsersTotal(299_990, { done: 100_000_000, total: 100_000_000 }, false)).toBe(299_990);
    expect(estimateUsersTotal(299_990, { done: 1, total: 100_000_000 }, true)).toBe(299_990);
  });
});

describe('ProgressEstimator', () => {
  it('offline (the reading sets the pace): users done of the estimated total, ETA from the rate of done users', () => {
    const estimator = new ProgressEstimator();
    let users = estimator.update(0, counts({}), undefined, false);
    expect(users).toEqual({ done: 0, perSecond: 0, totalExact: false });
    for (let s = 1; s <= 10; s++) {
      const read = s * 10_000;
      users = estimator.update(s * 1000, counts({ read, transformed: read, written: read }), { done: read * 500, total: 100_000 * 500 }, false);
    }
    expect(users).toEqual({ done: 100_000, total: 100_000, totalExact: false, perSecond: 10_000, etaMs: 0 });
  });

  it('online (the target sets the pace): the ETA follows acknowledged users, not bytes read', () => {
    const estimator = new ProgressEstimator();
    let users = estimator.update(0, counts({}), { done: 0, total: 1_000_000 }, false);
    // The source is read 10 times faster than the target takes users (in flight: read − done).
    for (let s = 1; s <= 20; s++) {
      const read = Math.min(100_000, s * 5_000);
      const done = s * 500;
      users = estimator.update(s * 1000, counts({ read, transformed: read, written: done }), { done: read * 10, total: 1_000_000 }, false);
    }
    expect(users.done).toBe(10_000);
    expect(users.total).toBe(100_000);
    expect(users.perSecond).toBe(500);
    // 90,000 users left at 500/s, although the whole input has been read.
    expect(users.etaMs).toBe(180_000);
  });

  it('does not count the time the source spent preparing in the rate, and waits for 2 s of it before an ETA', () => {
    const estimator = new ProgressEstimator();
    for (let s = 0; s <= 60; s++) estimator.update(s * 1000, counts({}), undefined, false);
    let users = estimator.update(61_000, counts({ read: 1000, written: 1000 }), { done: 1, total: 100 }, false);
    expect(users.etaMs).toBeUndefined();
    estimator.update(62_000, counts({ read: 2000, written: 2000 }), { done: 2, total: 100 }, false);
    users = estimator.update(63_000, counts({ read: 3000, written: 3000 }), { done: 3, total: 100 }, false);
    expect(users.perSecond).toBe(1000);
    expect(users.total).toBe(100_000);
    expect(users.etaMs).toBe(97_000);
  });

  it('measures the rate over the last 30 s only, and counts resumed and skipped users as done', () => {
    const estimator = new ProgressEstimator();
    // A resumed job: 50,000 users done by earlier runs; fast at first, then slow.
    for (let s = 0; s <= 60; s++) {
      const done = 50_000 + (s <= 30 ? s * 1000 : 30_000 + (s - 30) * 100);
      estimator.update(s * 1000, counts({ read: done, written: done - 10, skipped: 5, rejected: 5 }), { done: done, total: 200_000 }, false);
    }
    const users = estimator.update(61_000, counts({ read: 83_100, written: 83_090, skipped: 5, rejected: 5 }), { done: 83_100, total: 200_000 }, false);
    expect(users.done).toBe(83_100);
    expect(users.perSecond).toBe(100);
  });
});
