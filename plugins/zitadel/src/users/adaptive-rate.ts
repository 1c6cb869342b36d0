// Concurrency alone cannot keep a fast client under a requests-per-second limit: on loopback one
// connection already sends hundreds of calls a second. In adaptive mode the sink therefore also
// learns a rate: on a 429 it drops to 90% of the rate it was actually sending at, and while no
// 429 comes it raises the rate by 3% a second, never above the configured `rateLimit`.
import { TokenBucket } from './token-bucket.js';

export class AdaptiveRate {
  readonly bucket: TokenBucket;
  private readonly ceiling: number;
  private readonly adaptive: boolean;
  private sentInSecond = 0;
  private secondStart = performance.now();
  private lastSecondRate = 0;
  private lastCut = 0;
  private calmSince = performance.now();

  /** `ceiling` ≤ 0 means no configured cap. */
  constructor(ceiling: number, adaptive: boolean) {
    this.ceiling = ceiling;
    this.adaptive = adaptive;
    this.bucket = new TokenBucket(ceiling);
  }

  /** Requests/s allowed now (≤ 0 = unlimited). */
  get rate(): number {
    return this.bucket.rate;
  }

  /** Waits for a send slot and counts the send. */
  async take(signal?: AbortSignal): Promise<void> {
    await this.bucket.take(signal);
    const now = performance.now();
    if (now - this.secondStart >= 1000) {
      this.lastSecondRate = (this.sentInSecond * 1000) / (now - this.secondStart);
      this.sentInSecond = 0;
      this.secondStart = now;
      this.raise(now);
    }
    this.sentInSecond += 1;
  }

  /** A 429: slow down to below what was being sent (once per second at most). */
  throttled(): void {
    if (!this.adaptive) return;
    const now = performance.now();
    this.calmSince = now;
    if (now - this.lastCut < 1000) return;
    this.lastCut = now;
    const elapsed = now - this.secondStart;
    const sending = elapsed > 200 ? (this.sentInSecond * 1000) / elapsed : this.lastSecondRate;
    const current = this.bucket.rate > 0 ? Math.min(this.bucket.rate, sending || this.bucket.rate) : sending;
    if (current > 0) this.bucket.rate = Math.max(1, current * 0.9);
  }

  private raise(now: number): void {
    if (!this.adaptive || this.bucket.rate <= 0 || now - this.calmSince < 1000) return;
    const raised = this.bucket.rate * 1.03 + 1;
    this.bucket.rate = this.ceiling > 0 ? Math.min(this.ceiling, raised) : raised;
  }
}
