import { hashPassword } from '@idflow/password-hashes';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';

function addHuman(orgId: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    organization: { orgId },
    profile: { givenName: name, familyName: 'Doe' },
    email: { email: `${name}@example.com`, isVerified: true },
    ...extra,
  };
}

describe('POST /v2/users/human and /v2/users/new', () => {
  it('creates users with metadata and a hash, and answers their ids', async () => {
    const emulator = await useEmulator();
    const hash = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
    const human = await call(
      emulator,
      'POST',
      '/v2/users/human',
      addHuman(emulator.orgId, 'jane', {
        userId: 'v2-jane',
        username: 'jane',
        metadata: [{ key: 'plan', value: Buffer.from('pro').toString('base64') }],
        hashedPassword: { hash, changeRequired: false },
      }),
    );
    // AddHumanUser's `http_response: { success_code: 200 }` (user_service.proto).
    expect(human.status).toBe(200);
    expect(human.body.userId).toBe('v2-jane');
    expect(human.body.details.resourceOwner).toBe(emulator.orgId);
    expect(human.body.details.sequence).toMatch(/^\d+$/);

    const created = await call(emulator, 'POST', '/v2/users/new', {
      organization_id: emulator.orgId,
      human: { profile: { given_name: 'Max', family_name: 'Power' }, email: { email: 'max@example.com' } },
    });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(/^\d{18}$/);
    expect(created.body.creationDate).toMatch(/^\d{4}-\d\d-\d\dT/);

    const max = await call(emulator, 'GET', `/v2/users/${created.body.id}`);
    expect(max.body.user.username).toBe('max@example.com'); // the email when no username is given
    const stats = emulator.stats();
    expect(stats.users).toBe(2);
    expect(stats.metadata).toBe(1);
    expect(stats.v2UsersCreated).toBe(2);
  });

  it('answers 400 COMMAND-7yiox1isql for a taken id and 409 V3-DKcYh for a taken username, on both routes', async () => {
    const emulator = await useEmulator();
    await call(emulator, 'POST', '/v2/users/human', addHuman(emulator.orgId, 'kim', { userId: 'kim-id', username: 'kim' }));
    // Commands.AddUserHuman: an existing id is a precondition failure (code 9); the key has no English text.
    const sameId = await call(emulator, 'POST', '/v2/users/human', addHuman(emulator.orgId, 'kim2', { userId: 'kim-id' }));
    expect(sameId.status).toBe(400);
    expect(sameId.body.code).toBe(9);
    expect(sameId.body.message).toBe('Errors.User.AlreadyExisting (COMMAND-7yiox1isql)');
    const sameName = await call(emulator, 'POST', '/v2/users/new', {
      organizationId: emulator.orgId,
      username: 'KIM',
      human: { profile: { givenName: 'K', familyName: 'M' }, email: { email: 'k@example.com' } },
    });
    // The username's unique constraint (lower-cased) fails the push: V3-DKcYh, translated.
    expect(sameName.status).toBe(409);
    expect(sameName.body.details[0]).toMatchObject({ id: 'V3-DKcYh', message: 'User already exists' });
    const sameIdNew = await call(emulator, 'POST', '/v2/users/new', {
      organizationId: emulator.orgId,
      userId: 'kim-id',
      human: { profile: { givenName: 'K', familyName: 'M' }, email: { email: 'k2@example.com' } },
    });
    expect(sameIdNew.status).toBe(400);
    expect(sameIdNew.body.details[0].id).toBe('COMMAND-7yiox1isql');
    expect(emulator.stats().users).toBe(1);
  });

  it('validates fields with 400 code 3 and refuses disabled hash formats', async () => {
    const emulator = await useEmulator();
    const badEmail = await call(emulator, 'POST', '/v2/users/human', addHuman(emulator.orgId, 'x', { email: { email: 'not-an-email' } }));
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toBe(
      'invalid AddHumanUserRequest.Email: embedded message failed validation | caused by: invalid SetHumanEmail.Email: value must be a valid email address | caused by: mail: missing \'@\' or angle-addr',
    );
    const noProfile = await call(emulator, 'POST', '/v2/users/new', { organizationId: emulator.orgId, human: { email: { email: 'a@b.co' } } });
    expect(noProfile.status).toBe(400);
    expect(noProfile.body.message).toContain('invalid CreateUserRequest_Human.Profile: value is required');
    const md5 = await call(
      emulator,
      'POST',
      '/v2/users/human',
      addHuman(emulator.orgId, 'y', { hashedPassword: { hash: await hashPassword('md5', 'Password1!') } }),
    );
    expect(md5.status).toBe(400);
    expect(md5.body.details[0]).toMatchObject({ id: 'CRYPT-r8Qm2', message: 'Password is invalid' });
    // checkOrgExists: COMMAND-QXPGs, a precondition failure.
    const unknownOrg = await call(emulator, 'POST', '/v2/users/human', addHuman('no-such-org', 'z'));
    expect(unknownOrg.status).toBe(400);
    expect(unknownOrg.body.message).toBe('Organisation not found (COMMAND-QXPGs)');
    expect(emulator.stats().users).toBe(0);
  });

  it('lets an org user writer create in its org only (403 elsewhere), and 401 without a token', async () => {
    const emulator = await useEmulator({ orgs: ['org-a', 'org-b'] });
    const writer = await emulator.createServiceUser({ role: 'ORG_USER_WRITER', orgId: 'org-a' });
    const own = await call(emulator, 'POST', '/v2/users/human', addHuman('org-a', 'own'), writer.pat);
    expect(own.status).toBe(200);
    const other = await call(emulator, 'POST', '/v2/users/human', addHuman('org-b', 'other'), writer.pat);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe(7);
    const none = await call(emulator, 'POST', '/v2/users/new', { organizationId: 'org-a' }, null);
    expect(none.status).toBe(401);
    // The writer sees only its org's users.
    await call(emulator, 'POST', '/v2/users/human', addHuman('org-b', 'b-user'));
    const listed = await call(emulator, 'POST', '/v2/users', {}, writer.pat);
    expect(listed.body.details.totalResult).toBe('1');
    expect(emulator.stats().users).toBe(2);
  });
});

describe('POST /v2/users and GET /v2/users/{id}', () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
  });

  async function seeded() {
    const emulator = await useEmulator();
    // With a hash and a verified e-mail, imported users are ACTIVE (Human.IsInitialState).
    const users = ['anna', 'annabel', 'bert', 'carl', 'dora'].map((name) => ({
      userId: `id-${name}`,
      user: humanUser(name, {
        userName: name,
        email: { email: `${name}@${name === 'bert' ? 'corp.io' : 'example.com'}`, isEmailVerified: true },
        hashedPassword: { value: hash },
      }),
    }));
    await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
    return emulator;
  }
  const ids = (answer: { body: { result?: { userId: string }[] } }) => (answer.body.result ?? []).map((user) => user.userId);

  it('filters by ids, user name (with methods) and email, sorted by id ascending on request', async () => {
    const emulator = await seeded();
    const list = (queries: unknown[]) => call(emulator, 'POST', '/v2/users', { query: { asc: true }, queries });
    expect(ids(await list([{ inUserIdsQuery: { userIds: ['id-bert', 'id-dora', 'missing'] } }]))).toEqual(['id-bert', 'id-dora']);
    expect(ids(await list([{ userNameQuery: { userName: 'anna' } }]))).toEqual(['id-anna']);
    expect(ids(await list([{ userNameQuery: { userName: 'ANN', method: 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE' } }]))).toEqual([
      'id-anna',
      'id-annabel',
    ]);
    expect(ids(await list([{ userNameQuery: { userName: 'ANN', method: 'TEXT_QUERY_METHOD_STARTS_WITH' } }]))).toEqual([]);
    expect(ids(await list([{ user_name_query: { user_name: 'bel', method: 'TEXT_QUERY_METHOD_ENDS_WITH' } }]))).toEqual(['id-annabel']);
    expect(ids(await list([{ emailQuery: { emailAddress: 'corp.io', method: 'TEXT_QUERY_METHOD_CONTAINS' } }]))).toEqual(['id-bert']);
    expect(ids(await list([{ emailQuery: { emailAddress: 'DORA@EXAMPLE.COM', method: 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE' } }]))).toEqual([
      'id-dora',
    ]);
    const empty = await list([{ inUserIdsQuery: { userIds: ['nobody'] } }]);
    expect(empty.body).toEqual({ details: { totalResult: '0', timestamp: expect.any(String) } });
  });

  it('answers an inUserIdsQuery larger than SQLite’s variable limit, with a limit above the default page', async () => {
    const emulator = await seeded();
    const userIds = [...Array.from({ length: 40_000 }, (_, i) => `missing-${i}`), 'id-carl', 'id-anna'];
    const answer = await call(emulator, 'POST', '/v2/users', { query: { limit: userIds.length }, queries: [{ inUserIdsQuery: { userIds } }] });
    expect(answer.status).toBe(200);
    // Sorted by id, descending by default (ListQuery.asc is false).
    expect(ids(answer)).toEqual(['id-carl', 'id-anna']);
    expect(answer.body.details.totalResult).toBe('2');
  });

  it('pages with offset and limit and reports totalResult as a string', async () => {
    const emulator = await seeded();
    const page = await call(emulator, 'POST', '/v2/users', { query: { offset: '1', limit: 2, asc: true } });
    expect(page.body.details.totalResult).toBe('5');
    expect(ids(page)).toEqual(['id-annabel', 'id-bert']);
    const last = await call(emulator, 'POST', '/v2/users', { query: { offset: 4, limit: 2, asc: true } });
    expect(ids(last)).toEqual(['id-dora']);
    expect(last.body.result[0]).toMatchObject({
      userId: 'id-dora',
      username: 'dora',
      state: 'USER_STATE_ACTIVE',
      human: { profile: { givenName: 'dora', familyName: 'Tester' }, email: { email: 'dora@example.com', isVerified: true } },
    });
  });

  it('gets one user, 404 for an unknown one', async () => {
    const emulator = await seeded();
    const user = await call(emulator, 'GET', '/v2/users/id-carl');
    expect(user.status).toBe(200);
    expect(user.body.user).toMatchObject({ userId: 'id-carl', username: 'carl', loginNames: ['carl'] });
    expect(user.body.details.resourceOwner).toBe(emulator.orgId);
    const missing = await call(emulator, 'GET', '/v2/users/nobody');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(5);
  });
});
