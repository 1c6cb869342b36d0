// Concurrency alone cannot keep a fast client under a requests-per-second limit: on loopback one
// connection already sends hundreds of calls a second. In adaptive mode the sink therefore also
// learns a rate (AIMD on requests/s), once a second:
// - slow start: without a configured cap it starts at 50/s and doubles each calm second; its
//   first burst of 429s halves the rate at once (it overshot by at most one doubling, as TCP's);
// - a share of 429s above the noise floor (see BackpressureJudge) cuts the rate to 95% of what
//   the target accepted; a calm second adds 3%, never above the configured `rateLimit`.
import { BackpressureJudge } from './backpressure-judge.js';
import { TokenBucket } from './token-bucket.js';

const windowMs = 1000;
const slowStartRate = 50;

export class AdaptiveRate {
  readonly bucket: TokenBucket;
  private readonly ceiling: number;
  private readonly adaptive: boolean;
  private readonly judge = new BackpressureJudge();
  private slowStart: boolean;
  private windowStart = performance.now();
  private answers = 0;
  private throttled = 0;
  /** Rate cuts, for the report and tests. */
  cuts = 0;

  /** `ceiling` ≤ 0 means no configured cap. */
  constructor(ceiling: number, adaptive: boolean) {
    this.ceiling = ceiling;
    this.adaptive = adaptive;
    this.slowStart = adaptive && ceiling <= 0;
    this.bucket = new TokenBucket(this.slowStart ? slowStartRate : ceiling);
  }

  /** Requests/s allowed now (≤ 0 = unlimited). */
  get rate(): number {
    return this.bucket.rate;
  }

  /** Waits for a send slot. */
  take(signal?: AbortSignal): Promise<void> {
    return this.bucket.take(signal);
  }

  /** Counts one answer; `throttled` for a 429. */
  record(throttled: boolean): void {
    if (!this.adaptive) return;
    const now = performance.now();
    this.answers += 1;
    if (throttled) {
      this.throttled += 1;
      // ≥ 3 and ≥ 10% of this second's answers: an overshoot, not a random fault.
      if (this.slowStart && this.throttled >= 3 && this.throttled >= 0.1 * this.answers) {
        this.slowStart = false;
        // 0.45, not 0.5: requests already on the wire were sent at the doubled rate.
        this.setRate(this.bucket.rate * 0.45);
        this.cuts += 1;
      }
    }
    if (now - this.windowStart >= windowMs) this.closeWindow(now);
  }

  private setRate(value: number): void {
    this.bucket.rate = Math.max(1, this.ceiling > 0 ? Math.min(this.ceiling, value) : value);
  }

  private closeWindow(now: number): void {
    const elapsed = now - this.windowStart;
    const verdict = this.judge.judge(this.answers, this.throttled);
    if (verdict !== 'calm') {
      this.slowStart = false;
      const acceptedRate = ((this.answers - this.throttled) * 1000) / elapsed;
      const current = this.bucket.rate > 0 ? this.bucket.rate : Number.POSITIVE_INFINITY;
      this.setRate(Math.min(current * 0.95, acceptedRate * 0.95));
      this.cuts += 1;
    } else if (this.bucket.rate > 0) {
      this.setRate(this.slowStart ? this.bucket.rate * 2 : this.bucket.rate * 1.03 + 1);
    }
    this.windowStart = now;
    this.answers = 0;
    this.throttled = 0;
  }
}
