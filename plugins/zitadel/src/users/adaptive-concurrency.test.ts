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
  it('cuts the limit when 429s rise above the noise floor', async () => {
    const c = new AdaptiveConcurrency({ mode: 'adaptive', initial: 20 });
    // One window (≥ 100 ms) in which a tenth of the answers were 429.
    for (let i = 0; i < 60; i++) c.observe({ latencyMs: 5, backpressure: i % 10 === 0 });
    await pause(110);
    c.observe({ latencyMs: 5, backpressure: false });
    expect(c.cuts).toBe(1);
    expect(c.limit).toBe(18);
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
