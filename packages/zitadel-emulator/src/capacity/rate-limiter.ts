// A token bucket per client: `ratePerSecond` requests a second with a burst of one second's worth.
// Beyond it the client gets 429 with `Retry-After`, as ZITADEL Cloud's per-client limit answers.

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from `client`'s bucket, or says how long until the next one is allowed. */
  take(client: string): RateDecision {
    const now = this.now();
    const capacity = Math.max(1, this.ratePerSecond);
    const bucket = this.buckets.get(client) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 10_000) this.forgetIdle(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: (1 - bucket.tokens) / this.ratePerSecond };
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) if (now - bucket.updatedAt > 60_000) this.buckets.delete(client);
  }
}
