// Adaptive request concurrency (AIMD), after Vector's ARC: while answers come back as fast as
// before and the limit is actually used, allow one more request in flight; on back-pressure
// (429/503) or latency rising above its running average, cut the limit multiplicatively.
// The limit is applied through p-limit, whose `concurrency` can change while running.
import pLimit, { type LimitFunction } from 'p-limit';

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
  // Running (EWMA) mean and deviation of latency over past windows.
  private meanLatency: number | undefined;
  private deviation = 0;
  // The current window.
  private windowStart = performance.now();
  private windowLatencySum = 0;
  private windowCount = 0;
  private windowBackpressure = false;
  private windowReachedLimit = false;
  /** Changes of the limit, for the report and tests: +1 per raise, −1 per cut. */
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
      if (this.limiter.activeCount >= this.limiter.concurrency) this.windowReachedLimit = true;
      return task();
    });
  }

  /** Feeds one finished request into the current window; closes the window when it is due. */
  observe(signal: RequestSignal): void {
    if (!this.adaptive) return;
    this.windowLatencySum += signal.latencyMs;
    this.windowCount += 1;
    if (signal.backpressure) {
      // React to back-pressure at once: waiting a window would let a burst of 429s through.
      if (!this.windowBackpressure) this.cut();
      this.windowBackpressure = true;
    }
    const windowLength = Math.max(this.meanLatency ?? signal.latencyMs, 50);
    if (performance.now() - this.windowStart >= windowLength) this.closeWindow();
  }

  private closeWindow(): void {
    const windowMean = this.windowLatencySum / Math.max(1, this.windowCount);
    if (!this.windowBackpressure && this.windowCount > 0) {
      const threshold = this.meanLatency === undefined ? Number.POSITIVE_INFINITY : this.meanLatency + this.deviationScale * this.deviation;
      if (windowMean > threshold) this.cut();
      else if (this.windowReachedLimit) this.setLimit(this.limit + 1) && this.raises++;
      // Only calm windows teach the mean: back-pressured latency is not the service's normal.
      if (this.meanLatency === undefined) this.meanLatency = windowMean;
      else {
        this.deviation = 0.6 * this.deviation + 0.4 * Math.abs(windowMean - this.meanLatency);
        this.meanLatency = 0.6 * this.meanLatency + 0.4 * windowMean;
      }
    }
    this.windowStart = performance.now();
    this.windowLatencySum = 0;
    this.windowCount = 0;
    this.windowBackpressure = false;
    this.windowReachedLimit = false;
  }

  private cut(): void {
    if (this.setLimit(Math.floor(this.limit * this.decreaseRatio))) this.cuts++;
  }

  private setLimit(value: number): boolean {
    const bounded = Math.min(this.max, Math.max(this.min, value));
    if (bounded === this.limiter.concurrency) return false;
    this.limiter.concurrency = bounded;
    return true;
  }
}
