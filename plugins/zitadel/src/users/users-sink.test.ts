// The per-user v2 sink against a real emulator over 127.0.0.1.
import type { SinkOutcome } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { type Emulator, useEmulator } from '../emulator.test-helpers.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { type UsersSinkConfig, createUsersSink } from './users-sink.js';

function sinkFor(emu: Emulator, overrides: Partial<UsersSinkConfig> = {}) {
  const ctx = recordingContext();
  const config: UsersSinkConfig = {
    url: emu.url,
    orgId: emu.orgId,
    auth: { pat: emu.pat },
    rateLimit: 0,
    retry: { attempts: 12, initialDelay: 5, maxDelay: 50, maxElapsed: '60s' },
    ...overrides,
  };
  return { sink: createUsersSink(config, ctx), ctx };
}

const statuses = (outcomes: SinkOutcome[]) => outcomes.map((o) => o.status);

describe('zitadel-users sink', () => {
  for (const api of ['human', 'new'] as const) {
    it(`creates users with metadata through /v2/users/${api}; a re-run finds them present`, async () => {
      const emu = await useEmulator();
      const users = [1, 2, 3].map((n) => makeUser(n));
      const { sink } = sinkFor(emu, { api });
      expect(statuses(await sink.write(envelopes(users)))).toEqual(['written', 'written', 'written']);
      expect(statuses(await sink.write(envelopes(users)))).toEqual(['present', 'present', 'present']);
      await sink.close();
      const stats = await emu.stats();
      expect(stats.users).toBe(3);
      expect(stats.metadata).toBe(3);
    });
  }

  it('rejects a username taken by another id and a refused hash, with the reason', async () => {
    const emu = await useEmulator();
    const { sink } = sinkFor(emu);
    await sink.write(envelopes([makeUser(1)]));
    const outcomes = await sink.write(
      envelopes([makeUser(2, { userName: 'user1@example.com' }), makeUser(3, { hashedPassword: { value: '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/' } })]),
    );
    await sink.close();
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'userName already taken in ZITADEL' });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^ZITADEL refused the password hash/) });
  });

  it('retries every fault until each user is in exactly once', async () => {
    const emu = await useEmulator({
      faults: { seed: 11, unavailable: 0.08, tooManyRequests: 0.08, resetAfterWrite: 0.08, timeoutHalfWritten: 0.08, slow: 0.03, slowMs: 2000 },
    });
    const users = Array.from({ length: 150 }, (_, i) => makeUser(i + 1));
    const { sink } = sinkFor(emu, { concurrency: 8, requestTimeout: '1s' });
    const outcomes = await sink.write(envelopes(users));
    await sink.close();
    expect(outcomes.every((o) => o.status === 'written' || o.status === 'present')).toBe(true);
    const stats = await emu.stats();
    expect(stats.users).toBe(150);
    expect(stats.faults.total).toBeGreaterThan(0);
  });

  it('adaptive concurrency raises while the target keeps up and cuts on 429', async () => {
    const fast = await useEmulator({ perUserWriteCostMs: 2 });
    const raising = sinkFor(fast, { concurrency: 'adaptive' });
    await raising.sink.write(envelopes(Array.from({ length: 300 }, (_, i) => makeUser(i + 1))));
    expect(raising.sink.concurrency.raises).toBeGreaterThan(0);
    expect(raising.sink.concurrency.limit).toBeGreaterThan(4);
    await raising.sink.close();

    const busy = await useEmulator({ maxConcurrentRequests: 2, overloadStatus: 429, perUserWriteCostMs: 5 });
    const cutting = sinkFor(busy, { concurrency: 'adaptive' });
    const outcomes = await cutting.sink.write(envelopes(Array.from({ length: 40 }, (_, i) => makeUser(i + 1))));
    expect(outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(cutting.ctx.counts.get('http429')).toBeGreaterThan(0);
    expect(cutting.sink.concurrency.cuts).toBeGreaterThan(0);
    await cutting.sink.close();
    expect((await busy.stats()).users).toBe(40);
  });
});
