// `fields` aliases (keys and CSV columns renamed with export_as) and the `connections` filter.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byUserId, readAll } from './source.test-helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-options-'));
  const lines = [
    { id: 'auth0|111111111111111111111111', mail: 'a@example.com', identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '111111111111111111111111', isSocial: false }] },
    { id: 'google-oauth2|42', mail: 'g@example.com', identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '42', isSocial: true }] },
    { id: 'auth0|222222222222222222222222', mail: 'b@example.com', identities: [{ connection: 'Other-DB', provider: 'auth0', user_id: '222222222222222222222222', isSocial: false }] },
  ];
  await writeFile(join(dir, 'renamed.ndjson'), `${lines.map((l) => JSON.stringify(l)).join('\r\n')}\r\n`);
  await writeFile(
    join(dir, 'renamed.csv'),
    [
      '"id","mail","plan_of_user","email_verified","identities"',
      `"'auth0|111111111111111111111111","'a@example.com","'pro",true,"'[{""connection"":""Username-Password-Authentication"",""provider"":""auth0"",""user_id"":""111111111111111111111111"",""isSocial"":false}]"`,
    ].join('\n'),
  );
  const passwords = [
    { _id: { $oid: '111111111111111111111111' }, email: 'a@example.com', passwordHash: '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C', connection: 'Username-Password-Authentication' },
    { _id: { $oid: '222222222222222222222222' }, email: 'b@example.com', passwordHash: '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C', connection: 'Other-DB' },
  ];
  await writeFile(join(dir, 'passwords.ndjson'), passwords.map((p) => JSON.stringify(p)).join('\n'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('auth0 source options', () => {
  it('maps renamed keys back with `fields`', async () => {
    const result = await readAll(dir, { profiles: 'renamed.ndjson', passwords: 'passwords.ndjson', fields: { user_id: 'id', email: 'mail' } });
    const records = byUserId(result);
    expect(records.get('auth0|111111111111111111111111')?.profile.email).toBe('a@example.com');
    expect(records.get('auth0|111111111111111111111111')?.profile).not.toHaveProperty('mail');
    expect(records.get('auth0|111111111111111111111111')?.passwordStatus).toBe('present');
    expect(records.get('google-oauth2|42')?.passwordStatus).toBe('social');
  });

  it('maps renamed CSV columns, nested paths included', async () => {
    const result = await readAll(dir, {
      profiles: 'renamed.csv',
      passwords: 'passwords.ndjson',
      fields: { user_id: 'id', email: 'mail', 'user_metadata.plan': 'plan_of_user' },
    });
    expect(result.records.map((r) => r.data.profile)).toEqual([
      {
        user_id: 'auth0|111111111111111111111111',
        email: 'a@example.com',
        email_verified: true,
        user_metadata: { plan: 'pro' },
        identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '111111111111111111111111', isSocial: false }],
      },
    ]);
  });

  it('without an alias, a profile lacking user_id is a located rejection', async () => {
    const result = await readAll(dir, { profiles: 'renamed.ndjson' });
    expect(result.records).toEqual([]);
    expect(result.rejects.map((r) => [r.reason, r.origin.line])).toEqual([
      ['profile without a user_id', 1],
      ['profile without a user_id', 2],
      ['profile without a user_id', 3],
    ]);
  });

  it('keeps only users of the listed connections and counts the others as filtered', async () => {
    const result = await readAll(dir, {
      profiles: 'renamed.ndjson',
      passwords: 'passwords.ndjson',
      fields: { user_id: 'id', email: 'mail' },
      connections: ['Username-Password-Authentication'],
    });
    expect(result.records.map((r) => r.data.profile.user_id)).toEqual(['auth0|111111111111111111111111']);
    expect(result.counts.filtered).toBe(2);
    // The filtered user's password is neither joined nor reported as an orphan.
    expect(result.rejects).toEqual([]);
  });

  it('works without a password file: every user has a cause', async () => {
    const result = await readAll(dir, { profiles: 'renamed.ndjson', fields: { user_id: 'id' } });
    expect(result.records.map((r) => r.data.passwordStatus)).toEqual(['missing', 'social', 'missing']);
    expect(result.counts['no-password.missing']).toBe(2);
  });
});
