// The v2 state routes against the rules of internal/command/user_v2.go (LockUserV2, UnlockUserV2,
// DeactivateUserV2, ReactivateUserV2) and the state the user projection derives from the events.
import { hashPassword } from '@idflow/password-hashes';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

let hash: string;
beforeAll(async () => {
  hash = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
});

/** One user per starting state: ACTIVE (hash, verified e-mail), INITIAL (no password), LOCKED, INACTIVE. */
async function seeded(): Promise<RunningEmulator> {
  const emulator = await useEmulator();
  const withHash = (name: string) => humanUser(name, { userName: name, hashedPassword: { value: hash } });
  await call(
    emulator,
    'POST',
    '/admin/v1/import',
    importRequest(emulator.orgId, [
      { userId: 'active', user: withHash('active') },
      { userId: 'initial', user: humanUser('initial', { userName: 'initial' }) },
      { userId: 'locked', user: withHash('locked'), state: 'USER_STATE_LOCKED' },
      { userId: 'inactive', user: withHash('inactive'), state: 'USER_STATE_INACTIVE' },
    ]),
  );
  return emulator;
}

const stateOf = async (emulator: RunningEmulator, userId: string) => (await call(emulator, 'GET', `/v2/users/${userId}`)).body.user.state;

async function typesOf(emulator: RunningEmulator, userId: string): Promise<string[]> {
  const answer = await call(emulator, 'POST', '/admin/v1/events/_search', { aggregateId: userId, asc: true });
  return answer.body.events.map((event: { type: { type: string } }) => event.type.type);
}

describe('POST /v2/users/{id}/lock, /unlock, /deactivate, /reactivate', () => {
  it('starts from the states of the import: ACTIVE, INITIAL, LOCKED, INACTIVE', async () => {
    const emulator = await seeded();
    expect(await stateOf(emulator, 'active')).toBe('USER_STATE_ACTIVE');
    expect(await stateOf(emulator, 'initial')).toBe('USER_STATE_INITIAL');
    expect(await stateOf(emulator, 'locked')).toBe('USER_STATE_LOCKED');
    expect(await stateOf(emulator, 'inactive')).toBe('USER_STATE_INACTIVE');
    const listed = await call(emulator, 'POST', '/v2/users', {
      query: { asc: true },
      queries: [{ inUserIdsQuery: { userIds: ['initial', 'locked'] } }],
    });
    expect(listed.body.result.map((user: { state: string }) => user.state)).toEqual(['USER_STATE_INITIAL', 'USER_STATE_LOCKED']);
  });

  // [route, starting user, expected status, expected error id (or the state after), ZITADEL rule]
  it.each([
    ['lock', 'active', 200, 'USER_STATE_LOCKED', 'LockUserV2: ACTIVE or INITIAL may be locked'],
    ['lock', 'initial', 200, 'USER_STATE_LOCKED', 'LockUserV2: ACTIVE or INITIAL may be locked'],
    ['lock', 'locked', 400, 'COMMAND-lgws8wtsqf', 'LockUserV2: Errors.User.ShouldBeActiveOrInitial'],
    ['lock', 'inactive', 400, 'COMMAND-lgws8wtsqf', 'LockUserV2: Errors.User.ShouldBeActiveOrInitial'],
    ['unlock', 'locked', 200, 'USER_STATE_ACTIVE', 'UnlockUserV2: only LOCKED; the projection sets ACTIVE'],
    ['unlock', 'active', 400, 'COMMAND-olb9vb0oca', 'UnlockUserV2: Errors.User.NotLocked'],
    ['unlock', 'initial', 400, 'COMMAND-olb9vb0oca', 'UnlockUserV2: Errors.User.NotLocked'],
    ['deactivate', 'active', 200, 'USER_STATE_INACTIVE', 'DeactivateUserV2'],
    ['deactivate', 'locked', 200, 'USER_STATE_INACTIVE', 'DeactivateUserV2: a locked user may be deactivated'],
    ['deactivate', 'initial', 400, 'COMMAND-gvx4kct9r2', 'DeactivateUserV2: Errors.User.CantDeactivateInitial'],
    ['deactivate', 'inactive', 400, 'COMMAND-5gunjw0cd7', 'DeactivateUserV2: Errors.User.AlreadyInactive'],
    ['reactivate', 'inactive', 200, 'USER_STATE_ACTIVE', 'ReactivateUserV2'],
    ['reactivate', 'active', 400, 'COMMAND-s5qqcz97hf', 'ReactivateUserV2: Errors.User.NotInactive'],
    ['reactivate', 'locked', 400, 'COMMAND-s5qqcz97hf', 'ReactivateUserV2: Errors.User.NotInactive'],
  ] as const)('%s of the %s user answers %i (%s) — %s', async (action, userId, status, outcome, _rule) => {
    const emulator = await seeded();
    const before = await typesOf(emulator, userId);
    const answer = await call(emulator, 'POST', `/v2/users/${userId}/${action}`, {});
    expect(answer.status).toBe(status);
    const after = await typesOf(emulator, userId);
    if (status === 200) {
      expect(await stateOf(emulator, userId)).toBe(outcome);
      expect(answer.body.details).toMatchObject({ resourceOwner: emulator.orgId, sequence: expect.stringMatching(/^\d+$/) });
      const event = { lock: 'user.locked', unlock: 'user.unlocked', deactivate: 'user.deactivated', reactivate: 'user.reactivated' }[action];
      expect(after).toEqual([...before, event]);
    } else {
      expect(answer.body.code).toBe(9);
      expect(answer.body.details[0].id).toBe(outcome);
      expect(after).toEqual(before); // a refused command writes nothing
    }
  });

  it('translates the precondition texts and keeps the ids', async () => {
    const emulator = await seeded();
    const answer = await call(emulator, 'POST', '/v2/users/initial/deactivate', {});
    expect(answer.body.message).toBe('User with state initial can only be deleted not deactivated (COMMAND-gvx4kct9r2)');
    expect(answer.body.details[0]).toEqual({
      '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail',
      id: 'COMMAND-gvx4kct9r2',
      message: 'User with state initial can only be deleted not deactivated',
    });
  });

  it('answers 404 with each command\'s own id for an unknown user', async () => {
    const emulator = await seeded();
    const ids = { lock: 'COMMAND-450yxuqrh1', unlock: 'COMMAND-x377t913pw', deactivate: 'COMMAND-5gp2p62iin', reactivate: 'COMMAND-9hy5kzbuk6' };
    for (const [action, id] of Object.entries(ids)) {
      const answer = await call(emulator, 'POST', `/v2/users/nobody/${action}`, {});
      expect(answer.status).toBe(404);
      expect(answer.body.message).toBe(`User could not be found (${id})`);
    }
  });

  it('checks the permission after the preconditions, as the commands do', async () => {
    const emulator = await useEmulator({ orgs: ['org-a', 'org-b'] });
    await call(emulator, 'POST', '/admin/v1/import', importRequest('org-b', [{ userId: 'b1', user: humanUser('b1', { hashedPassword: { value: hash } }) }]));
    const writer = await emulator.createServiceUser({ role: 'ORG_USER_WRITER', orgId: 'org-a' });
    expect((await call(emulator, 'POST', '/v2/users/b1/unlock', {}, writer.pat)).status).toBe(400); // NotLocked first
    expect((await call(emulator, 'POST', '/v2/users/b1/lock', {}, writer.pat)).status).toBe(403);
    expect(await stateOf(emulator, 'b1')).toBe('USER_STATE_ACTIVE');
  });

  it('walks a user through lock → unlock → deactivate → reactivate, one event each', async () => {
    const emulator = await seeded();
    for (const action of ['lock', 'unlock', 'deactivate', 'reactivate']) {
      expect((await call(emulator, 'POST', `/v2/users/active/${action}`, {})).status).toBe(200);
    }
    expect((await typesOf(emulator, 'active')).slice(-4)).toEqual(['user.locked', 'user.unlocked', 'user.deactivated', 'user.reactivated']);
    expect(await stateOf(emulator, 'active')).toBe('USER_STATE_ACTIVE');
    expect(emulator.stats().usersByState.USER_STATE_ACTIVE).toBe(1);
  });
});
