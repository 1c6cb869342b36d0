import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';

async function pause(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

describe('AdaptiveConcurrency', () => {
  it('raises the limit while latency holds and the limit is used', async () => {
    const c = new AdaptiveConcurrency({ mode: 'adaptive', initial: 2, max: 50 });
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      tasks.push(
        c.run(async () => {
          await pause(5);
          c.observe({ latencyMs: 5, backpressure: false });
        }),
      );
    }
    await Promise.all(tasks);
    expect(c.limit).toBeGreaterThan(2);
    expect(c.raises).toBeGreaterThan(0);
    expect(c.cuts).toBe(0);
  });
  it('cuts the limit on back-pressure and undoes a cut that did not reduce the 429s', async () => {
    const c = new AdaptiveConcurrency({ mode: 'adaptive', initial: 20 });
    // One window (≥ 100 ms) in which a tenth of the answers were 429.
    for (let i = 0; i < 60; i++) c.observe({ latencyMs: 5, backpressure: i % 10 === 0 });
    await pause(110);
    c.observe({ latencyMs: 5, backpressure: false });
    expect(c.cuts).toBe(1);
    expect(c.limit).toBeLessThan(20);
    // The next window is as throttled as before: random faults, not our pace — the cut is undone.
    for (let i = 0; i < 60; i++) c.observe({ latencyMs: 5, backpressure: i % 10 === 0 });
    await pause(110);
    c.observe({ latencyMs: 5, backpressure: false });
    expect(c.limit).toBe(20);
  });
  it('far over capacity, cuts to the concurrency the target actually served (Little\'s law)', async () => {
    const c = new AdaptiveConcurrency({ mode: 'adaptive', initial: 30 });
    // Half the answers are 429; the accepted ones took 10 ms each over a ~110 ms window: ~2 in work.
    for (let i = 0; i < 40; i++) c.observe({ latencyMs: 10, backpressure: i % 2 === 0 });
    await pause(110);
    c.observe({ latencyMs: 10, backpressure: true });
    expect(c.limit).toBeLessThanOrEqual(3);
  });
  it('keeps a fixed limit when not adaptive', () => {
    const c = new AdaptiveConcurrency({ mode: 7 });
    c.observe({ latencyMs: 5, backpressure: true });
    expect(c.limit).toBe(7);
  });
});
