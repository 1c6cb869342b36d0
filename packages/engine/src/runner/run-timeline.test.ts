import { describe, expect, it } from 'vitest';
import { RunTimeline } from './run-timeline.js';
import { emptyCounts } from './run-tally.js';

describe('RunTimeline', () => {
  it('keeps a point per interval, and stays within its capacity on a long run by halving the points and doubling the interval', () => {
    const timeline = new RunTimeline(8, 1000);
    for (let ms = 0; ms <= 100_000; ms += 250) timeline.sample(ms, { ...emptyCounts(), read: ms, written: ms / 2, present: ms / 4 });
    const { everyMs, points } = timeline.finish(100_100, { ...emptyCounts(), read: 100_100 });
    expect(points.length).toBeLessThanOrEqual(9);
    expect(everyMs).toBeGreaterThanOrEqual(16_000);
    expect(points[0]).toEqual({ atMs: 0, read: 0, delivered: 0, rejected: 0, undeliverable: 0 });
    expect(points.at(-1)).toEqual({ atMs: 100_100, read: 100_100, delivered: 0, rejected: 0, undeliverable: 0 });
    const times = points.map((p) => p.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(points[1].delivered).toBe(points[1].read * 0.75);
  });
  it('samples once per interval however often it is asked', () => {
    const timeline = new RunTimeline(100, 1000);
    for (let ms = 0; ms < 5000; ms += 100) timeline.sample(ms, emptyCounts());
    expect(timeline.finish(5000, emptyCounts()).points.map((p) => p.atMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });
});
