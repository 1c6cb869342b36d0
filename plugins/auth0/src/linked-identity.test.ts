// Linked accounts through the plugin contract: a social primary with a linked database identity
// gets that identity's hash (as Auth0 lets the user sign in with it), in memory and on the spill
// path, on a resumed read too; nothing else is joined that way.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedDatabaseIdentities } from './linked-identity.js';
import { byUserId, readAll } from './source.test-helpers.js';

const db = 'Username-Password-Authentication';
let dir: string;

function password(oid: string, connection = db, extra: { [key: string]: unknown } = {}) {
  return { _id: { $oid: oid }, email: `${oid}@example.com`, passwordHash: `$2b$10$${oid.padEnd(53, 'x')}`, connection, ...extra };
}

const profiles = [
  // Signed up with the database, later linked under a Google primary: Auth0 keeps the Google profile.
  {
    user_id: 'google-oauth2|1001',
    email: 'linked@example.com',
    identities: [
      { connection: 'google-oauth2', provider: 'google-oauth2', user_id: '1001', isSocial: true },
      { connection: db, provider: 'auth0', user_id: '6a0000000000000000000001', isSocial: false, profileData: { email: 'linked@example.com' } },
    ],
  },
  // A linked identity whose record belongs to another connection's user of the same id: not joined.
  {
    user_id: 'github|2002',
    identities: [
      { connection: 'github', provider: 'github', user_id: '2002', isSocial: true },
      { connection: db, provider: 'auth0', user_id: '6a0000000000000000000002', isSocial: false },
    ],
  },
  // Plain database user and plain social user, as before.
  { user_id: 'auth0|6a0000000000000000000003', identities: [{ connection: db, provider: 'auth0', user_id: '6a0000000000000000000003', isSocial: false }] },
  { user_id: 'google-oauth2|4004', identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '4004', isSocial: true }] },
  // A database primary with no record of its own and a linked database identity with one (custom id).
  {
    user_id: 'auth0|6a0000000000000000000005',
    identities: [
      { connection: db, provider: 'auth0', user_id: '6a0000000000000000000005', isSocial: false },
      { connection: db, provider: 'auth0', user_id: 'legacy-6', isSocial: false },
    ],
  },
];

const passwords = [
  password('6a0000000000000000000001'),
  password('6a0000000000000000000002', 'Other-DB'),
  password('6a0000000000000000000003'),
  password('6a0000000000000000000006', db, { alt_id: 'legacy-6' }),
  // A real orphan stays one.
  password('7f0000000000000000000009'),
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-linked-'));
  await writeFile(join(dir, 'profiles.ndjson'), `${profiles.map((p) => JSON.stringify(p)).join('\n')}\n`);
  await writeFile(join(dir, 'passwords.ndjson'), `${passwords.map((p) => JSON.stringify(p)).join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('linked accounts', () => {
  it('lists the database identities linked to a profile, not its own', () => {
    expect(linkedDatabaseIdentities(profiles[0])).toEqual([{ key: 'auth0|6a0000000000000000000001', connection: db }]);
    expect(linkedDatabaseIdentities(profiles[2])).toEqual([]);
    expect(linkedDatabaseIdentities(profiles[4])).toEqual([{ key: 'auth0|legacy-6', connection: db }]);
    expect(linkedDatabaseIdentities({ user_id: 'x|1', identities: 'garbage' as never })).toEqual([]);
  });

  for (const spillThreshold of [undefined, 1]) {
    it(`joins the linked database identity's hash to the primary profile${spillThreshold ? ' (join index on disk)' : ''}`, async () => {
      const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', spillThreshold, passwordCheck: { minShare: 0 } });
      const records = byUserId(result);
      expect(records.get('google-oauth2|1001')).toMatchObject({ passwordStatus: 'present', password: { oid: '6a0000000000000000000001', hash: passwords[0].passwordHash } });
      expect(records.get('github|2002')).toMatchObject({ passwordStatus: 'social' });
      expect(records.get('github|2002')?.password).toBeUndefined();
      expect(records.get('auth0|6a0000000000000000000003')).toMatchObject({ passwordStatus: 'present' });
      expect(records.get('google-oauth2|4004')).toMatchObject({ passwordStatus: 'social' });
      expect(records.get('auth0|6a0000000000000000000005')).toMatchObject({ passwordStatus: 'present', password: { altId: 'legacy-6' } });
      // Only the records no profile or linked identity stands for are orphans.
      expect(result.rejects.filter((r) => r.reason === 'orphan password').map((r) => r.origin.line)).toEqual([2, 5]);
      expect(result.counts).toMatchObject({ 'with-password': 3, 'joined-by-linked-identity': 2, 'no-password.social': 2 });
    });
  }

  it('still claims the linked record for profiles skipped on resume, so it does not turn into an orphan', async () => {
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', passwordCheck: { minShare: 0 } }, { file: 'profiles.ndjson', line: 1, offset: 0 });
    expect(result.records.map((r) => r.data.profile.user_id)).not.toContain('google-oauth2|1001');
    expect(result.rejects.filter((r) => r.reason === 'orphan password').map((r) => r.origin.line)).toEqual([2, 5]);
  });
});
