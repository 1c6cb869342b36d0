// Every edge case of the generated export through the plugin contract: each user's fate, orphans,
// duplicates, malformed lines with their line numbers, the spill path and resume.

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';
import { byUserId, readAll, recordingContext } from './source.test-helpers.js';

let dir: string;
let exp: GeneratedExport;
const users = 1_200;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-join-'));
  exp = await generateAuth0Export({ dir, users, seed: 3, formats: ['ndjson', 'json-array', 'csv'] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('auth0 source joining', () => {
  it('gives each user the fate the generator expects', async () => {
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' });
    const records = byUserId(result);
    const { byKind, counts } = exp.expected;
    expect(records.size).toBe(users);
    for (const id of [...byKind.social!, ...byKind['social-multi']!]) expect(records.get(id)?.passwordStatus).toBe('social');
    for (const id of byKind.passwordless!) expect(records.get(id)?.passwordStatus).toBe('passwordless');
    for (const id of [...byKind['empty-hash']!, ...byKind['missing-hash-key']!]) {
      expect(records.get(id)?.passwordStatus).toBe('empty-hash');
      expect(records.get(id)?.password).toBeUndefined();
    }
    for (const id of byKind['no-password-record']!) expect(records.get(id)?.passwordStatus).toBe('missing');
    expect(result.counts['with-password']).toBe(counts.present);
    expect(result.counts['no-password.social']).toBe(counts.social);
    expect(result.counts['no-password.passwordless']).toBe(counts.passwordless);
    expect(result.counts['no-password.empty-hash']).toBe(counts.emptyHash);
    expect(result.counts['no-password.missing']).toBe(counts.missing);
  });

  it('joins alt_id users, users without a root email and users whose email case differs', async () => {
    const records = byUserId(await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }));
    for (const id of exp.expected.byKind['alt-id']!) {
      const record = records.get(id)!;
      expect(record.passwordStatus).toBe('present');
      expect(`auth0|${record.password!.altId}`).toBe(id);
      expect(record.password!.oid).toMatch(/^[0-9a-f]{24}$/);
    }
    for (const id of exp.expected.byKind['missing-root-email']!) {
      const record = records.get(id)!;
      expect(record.password?.hash).toMatch(/^\$2b\$10\$/);
      // No root email in the password record: it comes from identifiers[].
      expect(record.password?.email).toBe(record.profile.email);
    }
    for (const id of exp.expected.byKind['email-case']!) {
      const record = records.get(id)!;
      expect(record.passwordStatus).toBe('present');
      expect(record.password!.email).not.toBe(record.profile.email);
      expect(record.password!.email!.toLowerCase()).toBe(record.profile.email);
    }
    const login = exp.logins.find((l) => l.hashKind === 'pbkdf2-sha512')!;
    expect(records.get(login.user_id)?.password?.hash).toMatch(/^\$pbkdf2-sha512\$i=100000,l=64\$/);
    const present = records.get(exp.logins[0].user_id)!;
    expect(present.password).toMatchObject({ connection: 'Username-Password-Authentication', setDate: present.profile.created_at });
  });

  it('reports orphans at the end with id and email, never the hash in the reason', async () => {
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' });
    const orphans = result.rejects.filter((r) => r.reason === 'orphan password');
    expect(orphans.map((o) => o.detail)).toEqual(exp.expected.orphans.map((o) => ({ id: o.id, email: o.email })));
    expect(orphans.map((o) => o.origin)).toEqual(exp.expected.orphans.map((o) => expect.objectContaining({ file: 'passwords.ndjson', line: o.line })));
    for (const orphan of orphans) expect(orphan.reason).not.toContain('$2');
    // They come after every profile record.
    const lastProfileIndex = result.records.length;
    expect(result.counts.orphans).toBe(exp.expected.counts.orphans);
    expect(lastProfileIndex).toBe(users);
  });

  it('refuses the second profile with a duplicate user_id, naming the first line', async () => {
    for (const [format, file] of [['ndjson', 'profiles.ndjson'], ['json-array', 'profiles.json'], ['csv', 'profiles.csv']] as const) {
      const result = await readAll(dir, { profiles: file, passwords: 'passwords.ndjson' });
      const duplicates = result.rejects.filter((r) => r.reason.startsWith('duplicate user_id'));
      expect(duplicates.map((d) => [d.detail?.user_id, d.origin.line, d.reason, d.detail?.firstAt])).toEqual(
        exp.expected.duplicates.map((d) => [d.user_id, d.second[format], 'duplicate user_id', `${file}:${d.first[format]}`]),
      );
    }
  });

  it('reports malformed lines, rows and elements with their line numbers and keeps going', async () => {
    for (const [format, file] of [['ndjson', 'profiles.ndjson'], ['json-array', 'profiles.json'], ['csv', 'profiles.csv']] as const) {
      const result = await readAll(dir, { profiles: file, passwords: 'passwords.ndjson' });
      const malformed = result.rejects.filter((r) => r.reason.startsWith('malformed record'));
      expect(malformed.map((m) => m.origin.line)).toEqual(exp.expected.malformedProfileLines[format]);
      for (const m of malformed) {
        expect(m.detail).toEqual({ file, line: m.origin.line });
        expect(typeof m.raw).toBe('string');
        expect(String(m.raw)).toContain('broken');
      }
      expect(result.records).toHaveLength(users);
    }
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' });
    const badPasswords = result.rejects.filter((r) => r.reason.startsWith('malformed password record'));
    expect(badPasswords.map((m) => m.origin.line)).toEqual(exp.expected.malformedPasswordLines);
  });

  it('gives identical results on the spill path and removes its temp store', async () => {
    const inMemory = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' });
    const spilled = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson', spillThreshold: 50 });
    expect(spilled.storeDirs.length).toBeGreaterThan(0);
    for (const store of spilled.storeDirs) expect(existsSync(store)).toBe(false);
    expect(inMemory.storeDirs).toEqual([]);
    expect(spilled.records).toEqual(inMemory.records);
    expect(spilled.rejects).toEqual(inMemory.rejects);
    expect(spilled.counts).toEqual(inMemory.counts);
  });

  it('resumes after a profile origin and after a password-file origin', async () => {
    const full = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' });
    const items = [...full.records.map((r) => r.origin), ...full.rejects.map((r) => r.origin)];
    const profileOrigin = full.records[500].origin;
    const resumed = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }, profileOrigin);
    expect(resumed.records).toEqual(full.records.filter((r) => r.origin.offset > profileOrigin.offset));
    // Orphans still appear: the password index was built and earlier profiles still claimed theirs.
    expect(resumed.rejects.filter((r) => r.reason === 'orphan password')).toHaveLength(exp.expected.counts.orphans);
    const orphanOrigin = full.rejects.filter((r) => r.reason === 'orphan password')[0].origin;
    const late = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }, orphanOrigin);
    expect(late.records).toEqual([]);
    expect(late.rejects).toEqual(full.rejects.filter((r) => r.origin.file === 'passwords.ndjson' && r.origin.offset > orphanOrigin.offset));
    expect(items.length).toBeGreaterThan(late.rejects.length);
  });

  it('fingerprints the inputs and reports progress in bytes of the profile file', async () => {
    const ctx = recordingContext(dir);
    const source = await plugin.create({ profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }, ctx);
    const before = await source.fingerprint();
    expect(before).toBe(await source.fingerprint());
    let seen = 0;
    for await (const _ of source.read({})) seen++;
    const size = (await stat(join(dir, 'profiles.ndjson'))).size;
    expect(source.progress?.()).toEqual({ done: size, total: size });
    await source.close();
    // Part way, it follows the profiles handed on, not the bytes read ahead (here the whole file).
    const partial = await plugin.create({ profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }, ctx);
    let handedOn = 0;
    for await (const item of partial.read({})) {
      if (item.data && ++handedOn === 300) break;
    }
    const progress = partial.progress?.();
    await partial.close();
    // Bytes read from disk alone would say over 90 % here (three 256 KiB reads ahead of the parser).
    expect(progress!.total).toBe(size);
    expect(Math.abs(progress!.done / size - 300 / users)).toBeLessThan(0.02);
    expect(seen).toBeGreaterThan(users);
    const copy = join(dir, 'passwords-copy.ndjson');
    await writeFile(copy, `${await readFile(join(dir, 'passwords.ndjson'), 'utf8')}\n`);
    const other = await plugin.create({ profiles: 'profiles.ndjson', passwords: 'passwords-copy.ndjson' }, ctx);
    expect(await other.fingerprint()).not.toBe(before);
    await other.close();
  });
});
