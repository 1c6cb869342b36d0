// Auth0 exports as they really arrive, through the built `idflow run`: a password file that is
// wrong (never decrypted, random bytes, empty) stops the run before anything is written, with
// exit 1 and a message naming the file and its first unparseable record, and the fixed file is
// then read by the same command (no --fresh); `_ID` exports and
// concatenated pretty-printed JSON are read; UTF-16 is decoded, Latin-1 bytes are located
// rejects unless the encoding is named; duplicate keys are warned about.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type GeneratedExport, type GenerateOptions, generateAuth0Export } from '@idflow/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectFates, expectPasswordMetrics, type UserLine } from './auth0-fates.js';
import { makeTempDir, readNdjson, runCli, writePipeline } from './helpers.js';

interface DeadLetterLine {
  stage: string;
  reason: string;
  origin: string;
  detail?: { byteOffset?: number };
}

interface Report {
  status: string;
  warnings: number;
  metrics: { [plugin: string]: { [metric: string]: number } };
}

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('idflow-e2e-auth0-inputs-');
});
afterEach(() => temp.cleanup());

const users = 400;

function pipeline(profiles: string, passwords: string | undefined, extra: string[] = []): void {
  writePipeline(temp.dir, 'auth0.yaml', [
    'version: 1',
    'name: auth0-inputs',
    'source:',
    '  use: auth0',
    '  with:',
    `    profiles: ${profiles}`,
    ...(passwords ? [`    passwords: ${passwords}`] : []),
    ...extra,
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letters.ndjson }',
  ]);
}

function generate(options: Partial<GenerateOptions> = {}): Promise<GeneratedExport> {
  return generateAuth0Export({ dir: join(temp.dir, 'export'), users, seed: 13, formats: ['ndjson'], ...options });
}

const run = () => runCli(['run', 'auth0.yaml'], { cwd: temp.dir });
const output = () => readNdjson<UserLine>(join(temp.dir, 'out', 'users.ndjson'));
const deadLetters = () => readNdjson<DeadLetterLine>(join(temp.dir, 'out', 'dead-letters.ndjson'));
const report = () => JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as Report;

describe('idflow run with a wrong or empty password file', () => {
  /** Runs with `passwords` as the password file: exit 1, nothing written, the message on stderr. */
  async function expectStopped(name: string, bytes: Buffer | string): Promise<string> {
    await generate();
    writeFileSync(join(temp.dir, 'export', name), bytes);
    pipeline('export/profiles.ndjson', `export/${name}`);
    const result = await run();
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`idflow: password export export/${name}: only 0 of the first `);
    expect(result.stderr).toContain('Nothing was written.');
    expect(result.stderr).not.toMatch(/\$2[ab]\$/);
    expect(statSync(join(temp.dir, 'out', 'users.ndjson')).size).toBe(0);
    expect(report().status).toBe('failed');
    return result.stderr;
  }

  it('stops on a never-decrypted .pgp export, naming its first unparseable record', async () => {
    // An OpenPGP message: a public-key encrypted session key packet (tag 1), then encrypted data.
    const pgp = Buffer.concat([Buffer.from([0x85, 0x01, 0x0c, 0x03, 0x9c, 0x37, 0x7c, 0xbd, 0x26, 0x74, 0x6b, 0xe4, 0x01, 0x07, 0xfe]), Buffer.alloc(300, 0xa7), Buffer.from([0x0a, 0xd2, 0x4b])]);
    const stderr = await expectStopped('passwords.ndjson.pgp', pgp);
    expect(stderr).toContain('the first unparseable record is at export/passwords.ndjson.pgp:1: malformed password record: invalid UTF-8 (byte 0x85');
    expect(stderr).toContain('looks OpenPGP-encrypted (binary packets): decrypt it first (gpg --decrypt)');
  });

  it('stops on random bytes', async () => {
    let state = 99;
    const random = Buffer.from(Array.from({ length: 50_000 }, () => (state = (state * 1103515245 + 12345) & 0x7fffffff) >> 16));
    const stderr = await expectStopped('random.bin', random);
    expect(stderr).toMatch(/none of its \d+ records could be read; the first unparseable record is at export\/random\.bin:1: malformed password record: .*; the file is binary, not JSON text\./);
  });

  it('stops on an empty file', async () => {
    const stderr = await expectStopped('empty.ndjson', '');
    expect(stderr).toContain('the file holds no records (it is empty)');
  });

  it('reads an export whose records use _ID (zitadel-tools\' example data), gzipped: every user has the right passwordStatus', async () => {
    const exp = await generate();
    const spelled = readFileSync(exp.passwords, 'utf8').replaceAll('{"_id":', '{"_ID":');
    writeFileSync(join(temp.dir, 'export', 'passwords-ID.ndjson.gz'), gzipSync(spelled));
    pipeline('export/profiles.ndjson', 'export/passwords-ID.ndjson.gz');
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expectFates(output(), exp);
    expect(deadLetters().filter((d) => d.reason.startsWith('password record without'))).toEqual([]);
    expectPasswordMetrics(report(), exp);
  });

  it('after the stop, the fixed file needs no --fresh: the same command starts over and joins every hash', async () => {
    const exp = await generate();
    const wrong = join(temp.dir, 'export', 'passwords.bin');
    writeFileSync(wrong, Buffer.alloc(2000, 0xa7));
    writePipeline(temp.dir, 'auth0.yaml', [
      'version: 1',
      'name: auth0-inputs',
      'source: { use: auth0, with: { profiles: export/profiles.ndjson, passwords: "${PASSWORDS}" } }',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letters.ndjson }',
      'checkpoint: { path: out/checkpoint.json }',
    ]);
    const stopped = await runCli(['run', 'auth0.yaml'], { cwd: temp.dir, env: { PASSWORDS: 'export/passwords.bin' } });
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stderr).toContain('Nothing was written.');
    expect(statSync(join(temp.dir, 'out', 'users.ndjson')).size).toBe(0);

    const fixed = await runCli(['run', 'auth0.yaml'], { cwd: temp.dir, env: { PASSWORDS: 'export/passwords.ndjson' } });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toMatch(/starting over: checkpoint .*out\/checkpoint\.json is of a run that ended before any user was written or refused, and since then the inputs changed\n/);
    expectFates(output(), exp);
    expectPasswordMetrics(report(), exp);

    // Once users were written, other inputs are refused as before (exit 2, --fresh named).
    const refused = await runCli(['run', 'auth0.yaml'], { cwd: temp.dir, env: { PASSWORDS: 'export/passwords.bin' } });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/belongs to another run \(which completed\); what changed:\n {2}the inputs changed since/);
  });

  it('runs without the check when minShare is 0', async () => {
    await generate();
    writeFileSync(join(temp.dir, 'export', 'empty.ndjson'), '');
    pipeline('export/profiles.ndjson', 'export/empty.ndjson', ['    passwordCheck: { minShare: 0 }']);
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(output().filter((u) => u.passwordStatus === 'present')).toEqual([]);
  });
});

describe('idflow run on concatenated pretty-printed JSON', () => {
  it('reads a large gzipped export of pretty-printed profiles and passwords, each rejection at its object\'s first line, as the NDJSON export', async () => {
    const many = 6_000;
    const exp = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: many, seed: 5, formats: ['ndjson', 'concatenated-json'], gzip: true, passwordFormat: 'concatenated-json' });
    expect(readFileSync(exp.profiles['concatenated-json']!).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    // The join index on disk as well (spillThreshold), as for a real multi-gigabyte export.
    pipeline('export/profiles.pretty.json.gz', 'export/passwords.json', ['    spillThreshold: 1000']);
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const out = output();
    expect(out).toHaveLength(many);
    expect(out.filter((u) => u.passwordStatus === 'present')).toHaveLength(exp.expected.counts.present);
    const dead = deadLetters();
    const at = (prefix: string) => dead.filter((d) => d.reason.startsWith(prefix)).map((d) => d.origin);
    expect(at('malformed record')).toEqual(exp.expected.malformedProfileLines['concatenated-json'].map((line) => `export/profiles.pretty.json.gz:${line}`));
    expect(at('duplicate user_id')).toEqual(exp.expected.duplicates.map((d) => `export/profiles.pretty.json.gz:${d.second['concatenated-json']}`));
    expect(at('orphan password')).toEqual(exp.expected.orphans.map((o) => `export/passwords.json:${o.line}`));
    expect(at('malformed password record')).toEqual(exp.expected.malformedPasswordLines.map((line) => `export/passwords.json:${line}`));

    // The same users as from the NDJSON export of the same data.
    await generateAuth0Export({ dir: join(temp.dir, 'export-ndjson'), users: many, seed: 5, formats: ['ndjson'] });
    writePipeline(temp.dir, 'ndjson.yaml', [
      'version: 1',
      'name: auth0-ndjson',
      'source: { use: auth0, with: { profiles: export-ndjson/profiles.ndjson, passwords: export-ndjson/passwords.ndjson } }',
      'sink: { use: ndjson, with: { path: out-ndjson/users.ndjson } }',
    ]);
    expect((await runCli(['run', 'ndjson.yaml'], { cwd: temp.dir })).code).toBe(0);
    expect(out).toEqual(readNdjson<UserLine>(join(temp.dir, 'out-ndjson', 'users.ndjson')));
  });
});

describe('idflow run on exports in other encodings', () => {
  it('decodes UTF-16 LE and BE exports with a BOM, gzipped or not, into the same users', async () => {
    await generateAuth0Export({ dir: join(temp.dir, 'utf8'), users, seed: 17, formats: ['ndjson'] });
    pipeline('utf8/profiles.ndjson', 'utf8/passwords.ndjson');
    expect((await run()).code).toBe(0);
    const expected = output();
    expect(expected.filter((u) => u.passwordStatus === 'present').length).toBeGreaterThan(0);
    // As Windows tools save text: UTF-16 with a byte-order mark.
    const utf16 = (file: string, bigEndian: boolean) => {
      const units = Buffer.from(`\ufeff${readFileSync(join(temp.dir, 'utf8', file), 'utf8')}`, 'utf16le');
      return bigEndian ? units.swap16() : units;
    };
    writeFileSync(join(temp.dir, 'profiles-le.ndjson.gz'), gzipSync(utf16('profiles.ndjson', false)));
    writeFileSync(join(temp.dir, 'passwords-le.ndjson'), utf16('passwords.ndjson', false));
    writeFileSync(join(temp.dir, 'profiles-be.ndjson'), utf16('profiles.ndjson', true));
    writeFileSync(join(temp.dir, 'passwords-be.ndjson.gz'), gzipSync(utf16('passwords.ndjson', true)));
    for (const [profiles, passwords] of [['profiles-le.ndjson.gz', 'passwords-le.ndjson'], ['profiles-be.ndjson', 'passwords-be.ndjson.gz']]) {
      pipeline(profiles, passwords);
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
      expect(output(), profiles).toEqual(expected);
    }
  });

  it('rejects Latin-1 records with file:line and byte offset, and decodes them with encoding: latin1', async () => {
    const lines = [
      '{"user_id":"google-oauth2|101","name":"Jürgen Müller"}',
      '{"user_id":"google-oauth2|102","name":"Ann Lee"}',
      '{"user_id":"google-oauth2|103","name":"Zoë SStraße"}',
    ];
    writeFileSync(join(temp.dir, 'latin1.ndjson.gz'), gzipSync(Buffer.from(`${lines.join('\n')}\n`, 'latin1')));
    pipeline('latin1.ndjson.gz', undefined);
    const strict = await run();
    expect(strict.code, strict.stderr).toBe(0);
    expect(output().map((u) => u.profile.name)).toEqual(['Ann Lee']);
    const dead = deadLetters();
    expect(dead.map((d) => [d.origin, d.reason, d.detail?.byteOffset])).toEqual([
      ['latin1.ndjson.gz:1', 'malformed record: invalid UTF-8 (byte 0xfc; a Latin-1 or Windows-1252 file needs its encoding set)', lines[0].indexOf('ü')],
      ['latin1.ndjson.gz:3', 'malformed record: invalid UTF-8 (byte 0xeb; a Latin-1 or Windows-1252 file needs its encoding set)', lines[0].length + lines[1].length + 2 + lines[2].indexOf('ë')],
    ]);
    // No U+FFFD anywhere: nothing was decoded silently.
    expect(readFileSync(join(temp.dir, 'out', 'users.ndjson'), 'utf8')).not.toContain('\ufffd');

    pipeline('latin1.ndjson.gz', undefined, ['    encoding: latin1']);
    const decoded = await run();
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(output().map((u) => u.profile.name)).toEqual(['Jürgen Müller', 'Ann Lee', 'Zoë SStraße']);
  });
});

describe('idflow run on records with duplicate keys', () => {
  it('warns naming the key and the location; the last value is kept', async () => {
    writeFileSync(
      join(temp.dir, 'duplicates.ndjson'),
      '{"user_id":"google-oauth2|1","email":"old@example.com","email":"new@example.com"}\n{"user_id":"google-oauth2|2","user_metadata":{"plan":"free","plan":"pro"}}\n{"user_id":"google-oauth2|3"}\n',
    );
    pipeline('duplicates.ndjson', undefined);
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('auth0: duplicates.ndjson:1: duplicate key "email" in one record; the last value is kept');
    expect(result.stderr).toContain('auth0: duplicates.ndjson:2: duplicate key "user_metadata.plan" in one record; the last value is kept');
    expect(output().map((u) => u.profile.email ?? u.profile)).toEqual(['new@example.com', { user_id: 'google-oauth2|2', user_metadata: { plan: 'pro' } }, { user_id: 'google-oauth2|3' }]);
    expect(report().warnings).toBe(2);
    expect(Object.values(report().metrics).find((m) => 'duplicate-keys' in m)?.['duplicate-keys']).toBe(2);
  });
});
