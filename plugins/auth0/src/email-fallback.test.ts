// joinBy: email — case-insensitive, within the same connection, ambiguity reported, never guessed.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byUserId, readAll } from './source.test-helpers.js';

const db = 'Username-Password-Authentication';
const other = 'Legacy-DB';
let dir: string;

function profile(userId: string, email: string, connection = db): object {
  return { user_id: userId, email, identities: [{ connection, provider: 'auth0', user_id: userId.slice(6), isSocial: false }] };
}

function password(oid: string, email: string | undefined, connection = db, hash = '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C'): object {
  const record: { [key: string]: unknown } = { _id: { $oid: oid }, passwordHash: hash, connection, identifiers: [{ type: 'email', value: email ?? 'x@example.com' }] };
  if (email) record.email = email;
  return record;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-email-'));
  const profiles = [
    profile('auth0|aaaaaaaaaaaaaaaaaaaaaaa1', 'id.match@example.com'),
    profile('auth0|custom-db-7', 'jane@example.com'),
    profile('auth0|custom-db-8', 'only.identifiers@example.com'),
    profile('auth0|custom-db-9', 'twice@example.com'),
    profile('auth0|custom-db-10', 'shared@example.com'),
    profile('auth0|custom-db-11', 'shared@example.com'),
    profile('auth0|custom-db-12', 'scoped@example.com', other),
  ];
  const passwords = [
    password('aaaaaaaaaaaaaaaaaaaaaaa1', 'id.match@example.com'),
    password('bbbbbbbbbbbbbbbbbbbbbbb2', 'Jane@Example.COM'),
    password('ccccccccccccccccccccccc3', undefined),
    password('ddddddddddddddddddddddd4', 'twice@example.com'),
    password('eeeeeeeeeeeeeeeeeeeeeee5', 'TWICE@example.com'),
    password('fffffffffffffffffffffff6', 'shared@example.com'),
    password('00000000000000000000000a', 'scoped@example.com', db),
  ];
  (passwords[2] as { identifiers: unknown }).identifiers = [{ type: 'email', value: 'Only.Identifiers@example.com' }];
  await writeFile(join(dir, 'profiles.ndjson'), profiles.map((p) => JSON.stringify(p)).join('\n'));
  await writeFile(join(dir, 'passwords.ndjson'), passwords.map((p) => JSON.stringify(p)).join('\n'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('joinBy email', () => {
  it('joins by id only by default: the password check stops the run, pointing at joinBy: email', async () => {
    await expect(readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' })).rejects.toThrow(
      /only 1 of the first 7 database users got a password hash .*its first id auth0\|aaaaaaaaaaaaaaaaaaaaaaa1.*joinBy: email may match them/,
    );
    // With the check off, the custom-db users get no password.
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', passwordCheck: { minShare: 0 } });
    const records = byUserId(result);
    expect(records.get('auth0|aaaaaaaaaaaaaaaaaaaaaaa1')?.passwordStatus).toBe('present');
    expect(records.get('auth0|custom-db-7')?.passwordStatus).toBe('missing');
    expect(result.rejects.filter((r) => r.reason === 'orphan password')).toHaveLength(6);
  });

  it('matches case-insensitively within the connection, using identifiers[] without a root email', async () => {
    for (const spillThreshold of [undefined, 1]) {
      const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', joinBy: 'email', spillThreshold });
      const records = byUserId(result);
      expect(records.get('auth0|custom-db-7')?.password?.oid).toBe('bbbbbbbbbbbbbbbbbbbbbbb2');
      expect(records.get('auth0|custom-db-8')?.password?.oid).toBe('ccccccccccccccccccccccc3');
      expect(result.counts['joined-by-email']).toBe(2);
      // Same email in another connection: no match, and the record stays an orphan.
      expect(records.get('auth0|custom-db-12')?.passwordStatus).toBe('missing');
      expect(result.rejects.find((r) => r.reason === 'orphan password')?.detail).toEqual({ id: 'auth0|00000000000000000000000a', email: 'scoped@example.com' });
    }
  });

  it('reports ambiguous matches (several records, several profiles) and never guesses', async () => {
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', joinBy: 'email' });
    const records = byUserId(result);
    for (const id of ['auth0|custom-db-9', 'auth0|custom-db-10', 'auth0|custom-db-11']) {
      expect(records.get(id)?.password).toBeUndefined();
      expect(records.get(id)?.passwordStatus).toBe('missing');
    }
    expect(result.warnings.map((w) => w.message)).toEqual([
      'ambiguous email match for auth0|custom-db-9: several password records share this email (2); no password joined',
      'ambiguous email match for auth0|custom-db-10: several profiles share this email (2); no password joined',
      'ambiguous email match for auth0|custom-db-11: several profiles share this email (2); no password joined',
    ]);
    const ambiguous = result.rejects.filter((r) => r.reason === 'ambiguous email match').map((r) => r.detail?.id);
    expect(ambiguous).toEqual(['auth0|ddddddddddddddddddddddd4', 'auth0|eeeeeeeeeeeeeeeeeeeeeee5', 'auth0|fffffffffffffffffffffff6']);
  });
});

describe('joinBy email on resume', () => {
  it('does not report passwords joined by email before the resume point as orphans', async () => {
    const full = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', joinBy: 'email' });
    const after = full.records.find((r) => r.data.profile.user_id === 'auth0|custom-db-8')!.origin;
    const resumed = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', joinBy: 'email' }, after);
    expect(resumed.records.map((r) => r.data.profile.user_id)).toEqual(['auth0|custom-db-9', 'auth0|custom-db-10', 'auth0|custom-db-11', 'auth0|custom-db-12']);
    expect(resumed.rejects).toEqual(full.rejects);
  });
});
