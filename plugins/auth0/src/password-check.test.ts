// The password-file check through the source's contract: a wrong, empty, encrypted or foreign
// password export stops the run before the first record is yielded; a file that legitimately
// covers only part of the users (some connections, a few records) passes.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FatalError } from '@idflow/engine';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth0SourceConfig } from './config.js';
import plugin from './index.js';
import { byUserId, readAll, recordingContext } from './source.test-helpers.js';

let dir: string;
let exp: GeneratedExport;
const users = 300;
let passwordLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-password-check-'));
  exp = await generateAuth0Export({ dir, users, seed: 21, formats: ['ndjson'] });
  passwordLines = (await readFile(exp.passwords, 'utf8')).split('\n').filter((line) => line.trim() !== '');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first item `read` yields, or the error it throws instead. */
async function firstItem(config: Auth0SourceConfig): Promise<unknown> {
  const source = await plugin.create(config, recordingContext(dir));
  try {
    const next = await source.read({})[Symbol.asyncIterator]().next();
    return next.value;
  } finally {
    await source.close();
  }
}

async function stops(passwords: string | Buffer, name: string, extra: Partial<Auth0SourceConfig> = {}): Promise<FatalError> {
  await writeFile(join(dir, name), passwords);
  const error = await firstItem({ profiles: 'profiles.ndjson', passwords: name, ...extra }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${name} should stop the run`).toBeInstanceOf(FatalError);
  const message = (error as FatalError).message;
  expect(message).toMatch(new RegExp(`^password export ${name.replace('.', '\\.')}: only \\d+ of the first \\d+ database users got a password hash`));
  expect(message).toContain('Nothing was written');
  // Never a hash in the message.
  expect(message).not.toMatch(/\$2[ab]\$|\$pbkdf2/);
  return error as FatalError;
}

describe('the password-file check', () => {
  it('lets a good export through', async () => {
    expect(await firstItem({ profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' })).toMatchObject({ data: { profile: {} } });
  });

  it('stops on an empty file', async () => {
    const error = await stops('', 'empty.ndjson');
    expect(error.message).toContain('the file holds no records (it is empty)');
    expect(error.code).toBe('PASSWORD_FILE_UNUSABLE');
  });

  it('stops on a never-decrypted export (binary OpenPGP packets or ASCII armor), naming the first unparseable record', async () => {
    const packets = Buffer.from([0x85, 0x02, 0x0c, 0x03, 0x8f, 0x1e, 0x9a, 0x11, 0x0a, 0xd2, 0xc0, 0x4b, 0x01, 0x0a, 0x7f]);
    const binary = await stops(packets, 'passwords.ndjson.pgp');
    expect(binary.message).toContain('none of its 3 records could be read; the first unparseable record is at passwords.ndjson.pgp:1: malformed password record: invalid UTF-8 (byte 0x85');
    expect(binary.message).toContain('at byte offset 0');
    expect(binary.message).toContain('looks OpenPGP-encrypted');
    const armored = await stops('-----BEGIN PGP MESSAGE-----\n\nhQEMA5w3fL0mdGvkAQf/Xq1\n=Ab12\n-----END PGP MESSAGE-----\n', 'passwords.asc');
    expect(armored.message).toContain('the first unparseable record is at passwords.asc:1: malformed password record: ');
    expect(armored.message).toContain('ASCII-armored PGP message');
  });

  it('stops on random bytes', async () => {
    let state = 7;
    const bytes = Buffer.from(Array.from({ length: 20_000 }, () => (state = (state * 1103515245 + 12345) & 0x7fffffff) >> 16));
    const error = await stops(bytes, 'random.bin');
    expect(error.message).toMatch(/none of its \d+ records could be read; the first unparseable record is at random\.bin:1: .*; the file is binary, not JSON text\./);
  });

  it('reads an export whose records use _ID (zitadel-tools\' example data) or a plain oid', async () => {
    await writeFile(join(dir, 'ID.ndjson'), passwordLines.map((line) => line.replace('"_id":', '"_ID":')).join('\n'));
    const spelled = byUserId(await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'ID.ndjson' }));
    const reference = byUserId(await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }));
    expect([...spelled.values()].map((r) => r.passwordStatus)).toEqual([...reference.values()].map((r) => r.passwordStatus));
    expect([...spelled.values()].filter((r) => r.passwordStatus === 'present')).toHaveLength(exp.expected.counts.present);
  });

  it('stops on another tenant\'s export, and on records whose hash is under a key it does not read', async () => {
    const foreign = await stops(passwordLines.map((line) => line.replace(/"\$oid":"5f/, '"$oid":"6a')).join('\n'), 'foreign.ndjson');
    expect(foreign.message).toMatch(/records were read, but few of their ids match a profile \(its first id auth0\|6a.*, the first database user auth0\|5f/);
    expect(foreign.message).toContain('the first unparseable record is at foreign.ndjson:');
    const renamed = await stops(passwordLines.map((line) => line.replace('"passwordHash":', '"hash":')).join('\n'), 'renamed.ndjson');
    expect(renamed.message).toMatch(/none of its \d+ readable records has a hash under passwordHash or password_hash \(the first one's keys: _id, email_verified, email, hash,/);
  });

  it('lets through a file that covers only a few users, and measures only the first sampleSize database users', async () => {
    // 40 of the records, scattered over the profile file: promised 40, all 40 join.
    await writeFile(join(dir, 'few.ndjson'), passwordLines.slice(0, 40).join('\n'));
    const few = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'few.ndjson' });
    expect(few.records).toHaveLength(users);
    // The file also holds 200 records of nobody: judged on all database users it fails, on the first 5 it passes.
    const strangers = Array.from({ length: 200 }, (_, i) => JSON.stringify({ _id: { $oid: `7e${String(i).padStart(22, '0')}` }, passwordHash: 'x', connection: 'Username-Password-Authentication' }));
    const firstFive = (await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' })).records
      .filter((r) => r.data.profile.user_id.startsWith('auth0|'))
      .slice(0, 5)
      .map((r) => JSON.stringify({ _id: { $oid: r.data.profile.user_id.slice(6) }, passwordHash: 'x', connection: 'Username-Password-Authentication' }));
    await stops([...firstFive, ...strangers].join('\n'), 'strangers.ndjson');
    const sampled = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'strangers.ndjson', passwordCheck: { sampleSize: 5 } });
    expect(sampled.records).toHaveLength(users);
  });

  it('is off with minShare 0', async () => {
    await writeFile(join(dir, 'empty-too.ndjson'), '');
    const result = await readAll(dir, { profiles: 'profiles.ndjson', passwords: 'empty-too.ndjson', passwordCheck: { minShare: 0 } });
    expect(result.records.filter((r) => r.data.passwordStatus === 'missing').length).toBeGreaterThan(200);
  });
});

describe('the password-file check with connections', () => {
  const a = 'Username-Password-Authentication';
  const b = 'Legacy-DB';
  const profile = (i: number, connection: string) =>
    JSON.stringify({ user_id: `auth0|${connection === a ? 'a' : 'b'}${i}`, email: `u${i}@example.com`, identities: [{ connection, provider: 'auth0', user_id: `x${i}`, isSocial: false }] });
  const record = (i: number, connection: string) => JSON.stringify({ _id: { $oid: `${connection === a ? 'a' : 'b'}${i}` }, passwordHash: '$2b$10$x', connection });

  beforeAll(async () => {
    const profiles = Array.from({ length: 20 }, (_, i) => profile(i, i % 2 === 0 ? a : b));
    await writeFile(join(dir, 'two-connections.ndjson'), profiles.join('\n'));
    await writeFile(join(dir, 'only-b.ndjson'), Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 2 === 1).map((i) => record(i, b)).join('\n'));
  });

  it('judges a file by the connections it covers: B users all joined, A users missing, no stop', async () => {
    const result = await readAll(dir, { profiles: 'two-connections.ndjson', passwords: 'only-b.ndjson' });
    expect(result.records.map((r) => r.data.passwordStatus)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 1 ? 'present' : 'missing')));
  });

  it('stops when the file holds no record for the connections read', async () => {
    const error = await stops(await readFile(join(dir, 'only-b.ndjson')), 'only-b-again.ndjson', { profiles: 'two-connections.ndjson', connections: [a] });
    expect(error.message).toContain(`the file holds no record for the connections read (${a}); its records are for ${b}`);
  });
});
