// Adaptive request concurrency (AIMD), after Vector's ARC: while answers come back as fast as
// before and the limit is actually used, allow one more request in flight; on back-pressure
// (a share of 429/503 above the noise floor) or the median latency rising above its running average, cut the limit
// multiplicatively — to what the target actually accepted (Little's law) when that is lower.
// The limit is applied through p-limit, whose `concurrency` can change while running.
import pLimit, { type LimitFunction } from 'p-limit';
import { BackpressureJudge } from './backpressure-judge.js';

export interface ConcurrencyOptions {
  /** `adaptive`, or a fixed number of requests in flight. */
  mode: number | 'adaptive';
  /** Start and bounds of the adaptive limit. */
  initial?: number;
  min?: number;
  max?: number;
  /** Multiplier applied on back-pressure (Vector: 0.9). */
  decreaseRatio?: number;
  /** Latency counts as rising above mean + `deviationScale` × deviation (Vector: 2.5). */
  deviationScale?: number;
}

/** What one finished request tells the controller. */
export interface RequestSignal {
  latencyMs: number;
  /** 429 or 503: the target asks us to slow down. */
  backpressure: boolean;
}

/** A p-limit bound whose limit follows AIMD when adaptive. */
export class AdaptiveConcurrency {
  readonly adaptive: boolean;
  private readonly limiter: LimitFunction;
  private readonly min: number;
  private readonly max: number;
  private readonly decreaseRatio: number;
  private readonly deviationScale: number;
  private readonly judge = new BackpressureJudge();
  // Running (EWMA) mean and deviation of latency over calm windows.
  private meanLatency: number | undefined;
  private deviation = 0;
  // The current window.
  private windowStart = performance.now();
  private answers = 0;
  private throttled = 0;
  private acceptedLatencySum = 0;
  private acceptedLatencies: number[] = [];
  private reachedLimit = false;
  /** How often the limit went up and down, for the report and tests. */
  raises = 0;
  cuts = 0;

  constructor(options: ConcurrencyOptions) {
    this.adaptive = options.mode === 'adaptive';
    this.min = options.min ?? 1;
    this.max = options.max ?? 200;
    this.decreaseRatio = options.decreaseRatio ?? 0.9;
    this.deviationScale = options.deviationScale ?? 2.5;
    const start = this.adaptive ? (options.initial ?? 4) : (options.mode as number);
    this.limiter = pLimit(Math.max(1, start));
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.limiter.concurrency;
  }

  /** Runs `task` once a slot is free; `task` reports how its request went through `observe`. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.limiter(() => {
      if (this.limiter.activeCount >= this.limiter.concurrency) this.reachedLimit = true;
      return task();
    });
  }

  /** Feeds one finished request into the current window; closes the window when it is due. */
  observe(signal: RequestSignal): void {
    if (!this.adaptive) return;
    this.answers += 1;
    if (signal.backpressure) this.throttled += 1;
    else {
      this.acceptedLatencySum += signal.latencyMs;
      this.acceptedLatencies.push(signal.latencyMs);
    }
    const now = performance.now();
    const windowLength = Math.max(this.meanLatency ?? signal.latencyMs, 100);
    if (now - this.windowStart >= windowLength) this.closeWindow(now - this.windowStart);
  }

  private closeWindow(durationMs: number): void {
    // The median, not the mean: a few answers slowed by a fault do not mean the target is full.
    const sorted = this.acceptedLatencies.sort((a, b) => a - b);
    const windowLatency = sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined;
    const verdict = this.judge.judge(this.answers, this.throttled);
    if (verdict === 'overload') {
      // Far over capacity: Little's law says how many requests the target actually held.
      this.cut(Math.ceil((this.acceptedLatencySum / durationMs) * 0.95));
    } else if (verdict === 'cut') {
      this.cut(this.limit);
    } else {
      const threshold = this.meanLatency === undefined ? Number.POSITIVE_INFINITY : this.meanLatency + this.deviationScale * this.deviation;
      if (windowLatency !== undefined && windowLatency > threshold) this.cut(this.limit);
      else if (this.reachedLimit && this.setLimit(this.limit + 1)) this.raises++;
      // Only calm windows teach the typical latency: back-pressured latency is not the normal.
      if (windowLatency !== undefined) {
        if (this.meanLatency === undefined) this.meanLatency = windowLatency;
        else {
          this.deviation = 0.6 * this.deviation + 0.4 * Math.abs(windowLatency - this.meanLatency);
          this.meanLatency = 0.6 * this.meanLatency + 0.4 * windowLatency;
        }
      }
    }
    this.windowStart = performance.now();
    this.answers = 0;
    this.throttled = 0;
    this.acceptedLatencySum = 0;
    this.acceptedLatencies = [];
    this.reachedLimit = false;
  }

  private cut(acceptedCeiling: number): void {
    const before = this.limit;
    if (this.setLimit(Math.min(Math.floor(before * this.decreaseRatio), Math.max(this.min, acceptedCeiling)))) this.cuts++;
  }

  private setLimit(value: number): boolean {
    const bounded = Math.min(this.max, Math.max(this.min, value));
    if (bounded === this.limiter.concurrency) return false;
    this.limiter.concurrency = bounded;
    return true;
  }
}
