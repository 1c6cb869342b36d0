// The report's time series: counts sampled every few seconds while the run goes on, for the HTML
// report's throughput chart. Bounded for runs of any length: when the series is full, every other
// point is dropped and the interval doubles, so a day-long run keeps as many points as a minute's.

import type { RunCounts } from '../pipeline.js';

/** Counts at one moment of the run (totals, earlier runs of a resumed job included). */
export interface TimelinePoint {
  /** Since this run started. */
  atMs: number;
  read: number;
  /** Written or already present. */
  delivered: number;
  rejected: number;
  undeliverable: number;
}

export interface Timeline {
  /** The interval between points at the end of the run (it doubles as the run grows). */
  everyMs: number;
  points: TimelinePoint[];
}

export const TIMELINE_CAPACITY = 240;
const FIRST_INTERVAL_MS = 1000;

export class RunTimeline {
  private readonly points: TimelinePoint[] = [];
  private everyMs: number;
  private nextAtMs = 0;

  constructor(
    private readonly capacity = TIMELINE_CAPACITY,
    firstIntervalMs = FIRST_INTERVAL_MS,
  ) {
    this.everyMs = firstIntervalMs;
  }

  /** Called often (with each progress tick); keeps a point once per interval. */
  sample(atMs: number, counts: RunCounts): void {
    if (atMs < this.nextAtMs) return;
    this.add(atMs, counts);
    this.nextAtMs = atMs + this.everyMs;
  }

  /** The last point, whenever the run ends; the series as the report holds it. */
  finish(atMs: number, counts: RunCounts): Timeline {
    const last = this.points.at(-1);
    if (!last || last.atMs < atMs) this.add(atMs, counts);
    return { everyMs: this.everyMs, points: [...this.points] };
  }

  private add(atMs: number, counts: RunCounts): void {
    this.points.push({
      atMs: Math.round(atMs),
      read: counts.read,
      delivered: counts.written + counts.present,
      rejected: counts.rejected,
      undeliverable: counts.undeliverable,
    });
    if (this.points.length <= this.capacity) return;
    // Keep the first point and every other one after it; the newest stays as the last.
    const kept = this.points.filter((_, i) => i % 2 === 0);
    this.points.length = 0;
    this.points.push(...kept);
    this.everyMs *= 2;
  }
}
