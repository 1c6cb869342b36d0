import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import { RateLimiter } from './rate-limiter.js';

describe('rate limit', () => {
  it('answers 429 with Retry-After beyond the per-client rate, per token', async () => {
    // One request per 5 s: the second call comes far sooner on any machine.
    const emulator = await useEmulator({ rateLimit: 0.2 });
    const first = await call(emulator, 'POST', '/v2/users', {});
    const second = await call(emulator, 'POST', '/v2/users', {});
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.body.code).toBe(8);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client (token) has its own budget.
    const other = await emulator.createServiceUser();
    expect((await call(emulator, 'POST', '/v2/users', {}, other.pat)).status).toBe(200);
    expect(emulator.stats().rateLimited).toBe(1);
  });

  it('refills over time (token bucket, with an injected clock)', () => {
    let now = 0;
    const limiter = new RateLimiter(50, () => now);
    for (let i = 0; i < 50; i++) expect(limiter.take('ip:1').allowed).toBe(true);
    const refused = limiter.take('ip:1');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 0.02 });
    now += 20;
    expect(limiter.take('ip:1').allowed).toBe(true);
  });
});

describe('capacity', () => {
  it('turns requests away beyond the concurrency limit with the configured status', async () => {
    for (const overloadStatus of [503, 429] as const) {
      const emulator = await useEmulator({ maxConcurrentRequests: 1, perUserWriteCostMs: 100, overloadStatus });
      const users = Array.from({ length: 10 }, (_, i) => ({ userId: `c${i}`, user: humanUser(`c${i}`) }));
      const slowImport = call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
      while (emulator.stats().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const turnedAway = await call(emulator, 'POST', '/v2/users', {});
      expect(turnedAway.status).toBe(overloadStatus);
      expect((await slowImport).status).toBe(200);
      expect(emulator.stats().overloaded).toBe(1);
      expect(emulator.stats().users).toBe(10);
    }
  });
});
