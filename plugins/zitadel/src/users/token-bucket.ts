// Requests per second toward ZITADEL: Cloud allows 50/s per IP (averaged over a minute) and bans
// sustained excess, so the per-user sink paces itself below that. A classic token bucket.

/** Paces callers to `ratePerSecond`, allowing bursts of `burst`. A rate ≤ 0 means unlimited. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private ratePerSecond: number,
    private burst = Math.max(1, Math.ceil(ratePerSecond / 10)),
  ) {
    this.tokens = this.burst;
  }

  /** Current rate (requests/s; ≤ 0 = unlimited). */
  get rate(): number {
    return this.ratePerSecond;
  }

  /** Changes the rate from now on (≤ 0 = unlimited). */
  set rate(value: number) {
    this.refill();
    this.ratePerSecond = value;
    if (value > 0) this.burst = Math.max(1, Math.ceil(value / 10));
    this.tokens = Math.min(this.tokens, this.burst);
  }

  private refill(): void {
    const now = performance.now();
    if (this.ratePerSecond > 0) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  /** Waits until one request may be sent. Callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    if (this.ratePerSecond <= 0) return Promise.resolve();
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn;
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      if (this.ratePerSecond <= 0 || this.tokens >= 1 || signal?.aborted) {
        this.tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.tokens) / this.ratePerSecond) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(waitMs))));
    }
  }
}
