// Issue 13 §7: a user blocked in Auth0 is delivered only once ZITADEL holds it locked (or
// inactive): the state call is retried like any other, its failure leaves the user undelivered
// (retryable, so the run ends with exit 1 and the next run retries), and a user found present —
// created by a run that crashed before the lock — still gets its state. Against the emulator,
// whose state routes follow LockUserV2 / DeactivateUserV2 (internal/command/user_v2.go).
import type { RunningEmulator } from '@idflow/zitadel-emulator';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator.test-helpers.js';
import { createImportSink } from '../import/import-sink.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { buildAddHumanUser } from './build-user-request.js';
import { createUsersSink } from './users-sink.js';

function usersSink(emu: RunningEmulator, attempts = 4) {
  const ctx = recordingContext();
  const sink = createUsersSink(
    { url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat }, rateLimit: 0, concurrency: 4, retry: { attempts, initialDelay: 1, maxDelay: 5 } },
    ctx,
  );
  return { sink, ctx };
}

async function stateOf(emu: RunningEmulator, userId: string): Promise<string> {
  const response = await fetch(`${emu.url}/v2/users/${encodeURIComponent(userId)}`, { headers: { authorization: `Bearer ${emu.pat}` } });
  return ((await response.json()) as { user: { state: string } }).user.state;
}

/** Creates the user the way a run that crashed right after AddHumanUser left it: ACTIVE. */
async function createdBeforeCrash(emu: RunningEmulator, record: ZitadelUserRecord): Promise<void> {
  const response = await fetch(`${emu.url}/v2/users/human`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify(buildAddHumanUser(record, emu.orgId)),
  });
  expect(response.status).toBe(200);
}

const lockRoute = 'POST /v2/users/{userId}/lock';
const blocked = (n: number, state: ZitadelUserRecord['state'] = 'USER_STATE_LOCKED') => makeUser(n, {}, { state });

describe('zitadel-users: a blocked user is delivered once its state is applied', () => {
  it('creates, then locks (or deactivates): written only then', async () => {
    const emu = await useEmulator();
    const { sink, ctx } = usersSink(emu);
    const outcomes = await sink.write(envelopes([makeUser(1), blocked(2), blocked(3, 'USER_STATE_INACTIVE')]));
    await sink.close();
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written']);
    expect([await stateOf(emu, makeUser(1).userId), await stateOf(emu, blocked(2).userId), await stateOf(emu, blocked(3).userId)]).toEqual([
      'USER_STATE_ACTIVE',
      'USER_STATE_LOCKED',
      'USER_STATE_INACTIVE',
    ]);
    expect([ctx.counts.get('locked'), ctx.counts.get('deactivated'), ctx.counts.get('state.locked'), ctx.counts.get('state.inactive')]).toEqual([1, 1, 1, 1]);
  });

  it('a lock that keeps failing leaves the user undelivered (retryable), never a warning, and says it can log in', async () => {
    const emu = await useEmulator({ faults: { seed: 3, unavailable: 1, routes: [lockRoute] } });
    const { sink, ctx } = usersSink(emu);
    const outcomes = await sink.write(envelopes([makeUser(1), blocked(2)]));
    await sink.close();
    expect(outcomes[0]).toEqual({ status: 'written' });
    expect(outcomes[1]).toEqual({ status: 'retryable', reason: expect.stringMatching(/^blocked in Auth0 but not locked in ZITADEL \(it can still log in\): HTTP 503/) });
    expect(await stateOf(emu, blocked(2).userId)).toBe('USER_STATE_ACTIVE');
    expect(ctx.counts.get('blockedStateNotApplied')).toBe(1);
    expect(ctx.counts.get('state.locked')).toBeUndefined();
    expect(ctx.warnings).toEqual([]);
    // Four tries, as the retry budget says.
    expect(emu.stats().requests[lockRoute]).toEqual({ 503: 4 });
  });

  it('a lock that fails once is retried like any call', async () => {
    const emu = await useEmulator({ faults: { seed: 5, unavailable: 0.5, routes: [lockRoute] } });
    const { sink } = usersSink(emu, 20);
    const users = Array.from({ length: 6 }, (_, i) => blocked(i + 1));
    expect((await sink.write(envelopes(users))).map((o) => o.status)).toEqual(users.map(() => 'written'));
    await sink.close();
    for (const user of users) expect(await stateOf(emu, user.userId)).toBe('USER_STATE_LOCKED');
    expect(emu.stats().faults.total).toBeGreaterThan(0);
  });

  it('on resume, a present user still gets its state; one already locked is left alone', async () => {
    const emu = await useEmulator();
    await createdBeforeCrash(emu, blocked(1));
    const { sink } = usersSink(emu);
    expect(await sink.write(envelopes([blocked(1)]))).toEqual([{ status: 'present' }]);
    expect(await stateOf(emu, blocked(1).userId)).toBe('USER_STATE_LOCKED');
    expect(await sink.write(envelopes([blocked(1)]))).toEqual([{ status: 'present' }]);
    await sink.close();
    expect(emu.stats().requests[lockRoute]).toEqual({ 200: 1 });
  });
});

describe('zitadel-import: the same guarantee', () => {
  it('the import sets the state in the creating push; a present user left ACTIVE is locked', async () => {
    const emu = await useEmulator();
    await createdBeforeCrash(emu, blocked(1));
    const ctx = recordingContext();
    const sink = createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat }, retry: { attempts: 3, initialDelay: 1, maxDelay: 5 } }, ctx);
    expect(await sink.write(envelopes([blocked(1), blocked(2)]))).toEqual([{ status: 'present' }, { status: 'written' }]);
    await sink.close();
    expect([await stateOf(emu, blocked(1).userId), await stateOf(emu, blocked(2).userId)]).toEqual(['USER_STATE_LOCKED', 'USER_STATE_LOCKED']);
    // User 2 was locked by the import itself: one lock call, for user 1.
    expect(emu.stats().requests[lockRoute]).toEqual({ 200: 1 });
  });
});
