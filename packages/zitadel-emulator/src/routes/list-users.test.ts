// ListUsers as a sync pages through it: ZITADEL's v2 SearchQuery has no user-id prefix (or any
// id text) query, so the users under a source's id prefix are found by paging an org's users,
// sorted by id, and filtering the ids on the client. Facts from
// internal/api/grpc/user/v2/convert/user.go (queries, sorting column: the id by default),
// internal/api/grpc/object/v2/converter.go ListQueryToQuery (no default or maximum limit) and
// internal/query/search_query.go (no LIMIT when the limit is 0; descending unless asc).
import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

type Listed = { body: { result?: { userId: string }[]; details: { totalResult: string } } };
const ids = (answer: Listed) => (answer.body.result ?? []).map((user) => user.userId);

/** 120 `auth0|…` users and 5 others in the default org, 3 users in a second org. */
async function seeded(): Promise<RunningEmulator> {
  const emulator = await useEmulator({ orgs: [{ id: 'org-main' }, { id: 'org-other' }] });
  const auth0 = Array.from({ length: 120 }, (_, i) => ({
    userId: `auth0|${String(i).padStart(3, '0')}`,
    user: humanUser(`a${i}`),
  }));
  const others = ['zeta', 'beta', '42', 'google-oauth2|7', 'samlp|x'].map((name) => ({ userId: name, user: humanUser(`o-${name.replace(/\W/g, '')}`) }));
  for (const batch of [auth0, others]) {
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest('org-main', batch));
    expect(answer.status).toBe(200);
  }
  const second = ['auth0|900', 'auth0|901', 'auth0|902'].map((userId, i) => ({ userId, user: humanUser(`second${i}`) }));
  expect((await call(emulator, 'POST', '/admin/v1/import', importRequest('org-other', second))).status).toBe(200);
  return emulator;
}

describe('POST /v2/users: paging, sorting and the queries ZITADEL has', () => {
  it('returns every matching user for limit 0 (no default page), sorted by id descending', async () => {
    const emulator = await seeded();
    const all = await call(emulator, 'POST', '/v2/users', { queries: [{ organizationIdQuery: { organizationId: 'org-main' } }] });
    expect(all.body.details.totalResult).toBe('125');
    const listed = ids(all);
    expect(listed).toHaveLength(125);
    expect(listed).toEqual([...listed].sort().reverse());
  });

  it('lists the users under a source id prefix: an org in id order, pages of `limit`, filtered on the client', async () => {
    const emulator = await seeded();
    const found: string[] = [];
    let requests = 0;
    for (let offset = 0; ; offset += 50) {
      const page = await call(emulator, 'POST', '/v2/users', {
        query: { offset, limit: 50, asc: true },
        sortingColumn: 'USER_FIELD_NAME_UNSPECIFIED',
        queries: [{ organizationIdQuery: { organizationId: 'org-main' } }],
      });
      requests++;
      found.push(...ids(page).filter((id) => id.startsWith('auth0|')));
      if (offset + 50 >= Number(page.body.details.totalResult)) break;
    }
    expect(requests).toBe(3);
    expect(found).toEqual(Array.from({ length: 120 }, (_, i) => `auth0|${String(i).padStart(3, '0')}`));
  });

  it('has no query on the user id: userIdQuery is an unknown name, dropped, and the empty query refused', async () => {
    const emulator = await seeded();
    const answer = await call(emulator, 'POST', '/v2/users', { queries: [{ userIdQuery: { userId: 'auth0|001' } }] });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('invalid ListUsersRequest.Queries[0]: embedded message failed validation | caused by: invalid SearchQuery.Query: value is required');
    // The exact ids of an export are the one id query there is.
    const byIds = await call(emulator, 'POST', '/v2/users', { query: { asc: true }, queries: [{ inUserIdsQuery: { userIds: ['auth0|001', 'auth0|900', 'gone'] } }] });
    expect(ids(byIds)).toEqual(['auth0|001', 'auth0|900']);
  });

  it('combines and/or/not, state and type queries, and sorts by another column', async () => {
    const emulator = await seeded();
    await call(emulator, 'POST', '/v2/users/beta/lock', {});
    const notAuth0 = await call(emulator, 'POST', '/v2/users', {
      sortingColumn: 'USER_FIELD_NAME_USER_NAME',
      query: { asc: true },
      queries: [
        { organizationIdQuery: { organizationId: 'org-main' } },
        { notQuery: { query: { userNameQuery: { userName: 'a', method: 'TEXT_QUERY_METHOD_STARTS_WITH' } } } },
        { orQuery: { queries: [{ stateQuery: { state: 'USER_STATE_LOCKED' } }, { emailQuery: { emailAddress: 'o-zeta@example.com' } }] } },
        { typeQuery: { type: 'TYPE_HUMAN' } },
      ],
    });
    expect(notAuth0.body.sortingColumn).toBe('USER_FIELD_NAME_USER_NAME');
    expect(ids(notAuth0)).toEqual(['beta', 'zeta']);
    const machines = await call(emulator, 'POST', '/v2/users', { queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }] });
    expect(machines.body.details.totalResult).toBe('0');
  });

  it('filters by metadata key and value on the same entry (the LEFT JOIN of user_metadata5)', async () => {
    const emulator = await seeded();
    await call(emulator, 'POST', '/v2/users/auth0|005/metadata', { metadata: [{ key: 'source', value: Buffer.from('auth0').toString('base64') }] });
    await call(emulator, 'POST', '/v2/users/zeta/metadata', {
      metadata: [
        { key: 'source', value: Buffer.from('other').toString('base64') },
        { key: 'note', value: Buffer.from('auth0').toString('base64') },
      ],
    });
    const bySource = await call(emulator, 'POST', '/v2/users', {
      queries: [
        { metadataKeyFilter: { key: 'source' } },
        { metadataValueFilter: { value: Buffer.from('auth0').toString('base64') } },
      ],
    });
    expect(ids(bySource)).toEqual(['auth0|005']);
    expect(bySource.body.details.totalResult).toBe('1');
  });
});
