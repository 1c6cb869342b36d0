// The tenant's Management API bucket. Auth0 answers every call with `x-ratelimit-limit`,
// `x-ratelimit-remaining` and `x-ratelimit-reset` (a UNIX timestamp in seconds of when the bucket
// is full again), and 429 once it is empty:
// https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy and
// https://community.auth0.com/t/how-to-tell-if-you-are-approaching-the-rate-limit/82103.
// The stand-in keeps a fixed window per `windowSeconds` (aligned to whole seconds, so `reset` is
// exact) and counts requests that arrive after a 429 but before the `reset` it announced: a
// client that respects the headers never makes one.

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class TenantRateLimit {
  private windowStart = 0;
  private used = 0;
  /** ms before which a client told to wait should not call again. */
  private lockedUntil = 0;
  private forced: number;
  rateLimited = 0;
  requestsBeforeReset = 0;

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    forcedTooManyRequests: number,
  ) {
    this.forced = forcedTooManyRequests;
  }

  /** Counts one Management API request and says whether it may be served. */
  take(now = Date.now()): RateDecision {
    if (now < this.lockedUntil) this.requestsBeforeReset++;
    const windowMs = this.windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const reset = (start + windowMs) / 1000;
    if (this.forced > 0) {
      // Another application of the tenant emptied the bucket: nothing left until the window ends.
      this.forced--;
      return this.refuse(reset);
    }
    if (this.used >= this.limit) return this.refuse(reset);
    this.used++;
    return { allowed: true, headers: this.headers(this.limit - this.used, reset) };
  }

  private refuse(reset: number): RateDecision {
    this.rateLimited++;
    this.lockedUntil = Math.max(this.lockedUntil, reset * 1000);
    return { allowed: false, headers: this.headers(0, reset) };
  }

  private headers(remaining: number, reset: number): Record<string, string> {
    return { 'x-ratelimit-limit': String(this.limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(reset) };
  }
}
