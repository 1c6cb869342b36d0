import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { EmulatorOptions } from '../options.js';
import type { RunningEmulator } from '../server.js';
import { FaultPlan, parseFaultSpec } from './fault-plan.js';

/** Sends `count` one-user imports in order and returns what each answered ('reset' for a dropped connection). */
async function importOneByOne(emulator: RunningEmulator, count: number): Promise<(number | 'reset')[]> {
  const outcomes: (number | 'reset')[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, [{ userId: `u${i}`, user: humanUser(`u${i}`) }]));
      outcomes.push(answer.status);
    } catch {
      outcomes.push('reset');
    }
  }
  return outcomes;
}

const MIXED: EmulatorOptions['faults'] = {
  unavailable: 0.15,
  tooManyRequests: 0.15,
  slow: 0.1,
  resetAfterWrite: 0.15,
  timeoutHalfWritten: 0.15,
  slowMs: 5,
};

describe('fault injection', () => {
  it('repeats the same faults for the same seed and request order', async () => {
    const a = await useEmulator({ faults: { ...MIXED, seed: 42 } });
    const b = await useEmulator({ faults: { ...MIXED, seed: 42 } });
    const c = await useEmulator({ faults: { ...MIXED, seed: 7 } });
    const first = await importOneByOne(a, 30);
    const second = await importOneByOne(b, 30);
    const third = await importOneByOne(c, 30);
    expect(second).toEqual(first);
    expect(third).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 429, 500, 'reset']));
    expect(a.stats().faults).toEqual(b.stats().faults);
    // Stats agree with what the client saw.
    expect(a.stats().faults.byKind.resetAfterWrite).toBe(first.filter((outcome) => outcome === 'reset').length);
    expect(a.stats().requests['POST /admin/v1/import']?.reset).toBe(first.filter((outcome) => outcome === 'reset').length);
  });

  it('draws per route, so traffic on other routes does not shift a route’s sequence', () => {
    const probabilities = { unavailable: 0.5, tooManyRequests: 0, slow: 0, resetAfterWrite: 0, timeoutHalfWritten: 0 };
    const plain = new FaultPlan(3, probabilities, undefined);
    const mixed = new FaultPlan(3, probabilities, undefined);
    const alone = Array.from({ length: 20 }, () => plain.next('POST /admin/v1/import'));
    const interleaved = Array.from({ length: 20 }, () => {
      mixed.next('POST /v2/users');
      return mixed.next('POST /admin/v1/import');
    });
    expect(interleaved).toEqual(alone);
  });

  it('503 and 429 come before any work; 429 carries Retry-After', async () => {
    const unavailable = await useEmulator({ faults: { unavailable: 1 } });
    const answer = await call(unavailable, 'POST', '/admin/v1/import', importRequest(unavailable.orgId, [{ userId: 'x', user: humanUser('x') }]));
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe(14);
    expect(unavailable.stats().users).toBe(0);
    const limited = await useEmulator({ faults: { tooManyRequests: 1 } });
    const throttled = await call(limited, 'POST', '/v2/users/human', {
      profile: { givenName: 'a', familyName: 'b' },
      email: { email: 'a@b.co' },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(limited.stats().users).toBe(0);
  });

  it('a reset comes after the full write', async () => {
    const emulator = await useEmulator({ faults: { resetAfterWrite: 1 } });
    const users = ['r1', 'r2', 'r3'].map((id) => ({ userId: id, user: humanUser(id) }));
    await expect(call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users))).rejects.toThrow();
    expect(emulator.stats().users).toBe(3);
  });

  it('a timeout fault leaves half a batch written and answers 500 code 2 without lists', async () => {
    const emulator = await useEmulator({ faults: { timeoutHalfWritten: 1 } });
    const users = ['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => ({ userId: id, user: humanUser(id) }));
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ code: 2, message: 'context deadline exceeded' });
    expect(emulator.stats().users).toBe(2);
    expect(emulator.stats().faults.byKind).toEqual({ timeoutHalfWritten: 1 });
    // A single-user write is done, then times out: the client must treat it as unknown.
    const single = await call(emulator, 'POST', '/v2/users/human', { profile: { givenName: 'a', familyName: 'b' }, email: { email: 'a@b.co' } });
    expect(single.status).toBe(500);
    expect(emulator.stats().users).toBe(3);
  });

  it('a slow answer still answers', async () => {
    const emulator = await useEmulator({ faults: { slow: 1, slowMs: 20 } });
    const answer = await call(emulator, 'POST', '/v2/users', {});
    expect(answer.status).toBe(200);
    expect(emulator.stats().faults.byKind).toEqual({ slow: 1 });
  });

  it('applies only to the configured routes', async () => {
    const emulator = await useEmulator({ faults: { unavailable: 1, routes: ['POST /admin/v1/import'] } });
    expect((await call(emulator, 'POST', '/v2/users', {})).status).toBe(200);
    expect((await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, []))).status).toBe(503);
  });

  it('parses the CLI spec and rejects unknown names', () => {
    expect(parseFaultSpec('503=0.05, 429=0.02,slow=0.1,reset=0.01,timeout=0.01,slowMs=2000')).toEqual({
      unavailable: 0.05,
      tooManyRequests: 0.02,
      slow: 0.1,
      resetAfterWrite: 0.01,
      timeoutHalfWritten: 0.01,
      slowMs: 2000,
    });
    expect(() => parseFaultSpec('boom=0.1')).toThrow(/unknown fault "boom"/);
    expect(() => parseFaultSpec('503=')).toThrow(/needs a number/);
  });
});
