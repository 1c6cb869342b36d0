// The field mapper and the ZITADEL field rules end to end: the fixture generator's edge cases
// (plus a few hand-written hostile users) through `idflow run` with auth0 → field-mapper →
// zitadel-validate → ndjson, then each user's fate is checked on disk.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2ePipelines, makeTempDir, readNdjson, runCli } from './helpers.js';

interface DeadLetter {
  stage: string;
  reason: string;
  origin: string;
  record: { profile?: { user_id?: string } } & { [key: string]: unknown };
}

const decode = (value: string): unknown => JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
const runes = (text: string | undefined) => [...(text ?? '')].length;

let temp: ReturnType<typeof makeTempDir>;
let generated: GeneratedExport;
let users: Map<string, ZitadelUserRecord>;
let deadLetters: DeadLetter[];
let report: { metrics: { [plugin: string]: { [metric: string]: number } }; counts: { [k: string]: number } };
let cli: { code: number | null; stderr: string };
let firstUserId: string;

/** Hand-written users appended to the generated profiles, one per rule the generator does not cover. */
function extraUsers(firstUserEmail: string): object[] {
  return [
    { user_id: 'auth0|no-email', name: 'No Mail', nickname: 'nomail' },
    { user_id: 'auth0|case-twin', email: firstUserEmail.toUpperCase(), name: 'Case Twin' },
    { user_id: 'auth0|only-name', email: 'jl@example.com', name: 'Jean-Luc Picard de la Barre', locale: 'pt_BR', phone_number: '+44 20 7946 0958' },
    { user_id: 'auth0|huge-metadata', email: 'huge@example.com', user_metadata: { avatar: 'x'.repeat(600_000) } },
  ];
}

beforeAll(async () => {
  temp = makeTempDir('idflow-mapping-');
  generated = await generateAuth0Export({ dir: temp.dir, users: 40, seed: 4, edgeCases: true });
  const profiles = generated.profiles.ndjson!;
  const firstUser = JSON.parse(readFileSync(profiles, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]) as { email: string; user_id: string };
  firstUserId = firstUser.user_id;
  const hostile = '{"user_id":"auth0|hostile","email":"hostile@example.com","user_metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}';
  const lines = [...extraUsers(firstUser.email).map((user) => JSON.stringify(user)), hostile];
  // The generator leaves the last line without a newline, as real exports sometimes do.
  appendFileSync(profiles, `\n${lines.join('\n')}\n`);

  cli = await runCli(['run', join(e2ePipelines, 'mapping-auth0.yaml')], { env: { E2E_DIR: temp.dir } });
  const out = join(temp.dir, 'out');
  users = new Map(readNdjson<ZitadelUserRecord>(join(out, 'users.ndjson')).map((user) => [user.userId, user]));
  deadLetters = readNdjson<DeadLetter>(join(out, 'dead-letters.ndjson'));
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}, 120_000);

afterAll(() => temp?.cleanup());

/** The exported Auth0 profile of a user id. */
function profileOf(userId: string): { username?: string; email?: string } {
  const lines = readFileSync(generated.profiles.ndjson!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const parsed = lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as { user_id: string; username?: string }];
    } catch {
      return []; // the edge cases include malformed lines
    }
  });
  const profile = parsed.find((p) => p.user_id === userId);
  expect(profile, `profile ${userId}`).toBeDefined();
  return profile!;
}

function userOf(kind: keyof GeneratedExport['expected']['byKind']): ZitadelUserRecord {
  const id = generated.expected.byKind[kind]?.[0];
  expect(id, `the generator made a ${kind} user`).toBeDefined();
  const user = users.get(id!);
  expect(user, `${kind} user ${id} was written`).toBeDefined();
  return user!;
}

describe('idflow run: auth0 → field-mapper → zitadel-validate → ndjson', () => {
  it('writes every generated user and the two valid extra users, nothing else', () => {
    expect(cli.code, cli.stderr).toBe(0);
    expect(users.size).toBe(generated.expected.users + 2);
    for (const [kind, ids] of Object.entries(generated.expected.byKind)) {
      for (const id of ids) expect(users.has(id), `${kind} user ${id}`).toBe(true);
    }
    expect(report.counts).toMatchObject({ written: generated.expected.users + 2 });
  });

  it('rejects exactly the users that cannot be imported, each with its reason', () => {
    const mine = deadLetters
      .filter((letter) => letter.stage === 'transform:field-mapper' || letter.stage === 'transform:zitadel-validate')
      .map((letter) => [letter.stage, letter.record.profile?.user_id ?? (letter.record as { userId?: string }).userId, letter.reason]);
    expect(mine).toEqual([
      ['transform:field-mapper', 'auth0|no-email', 'profile.email is missing: ZITADEL requires an email address for every user'],
      ['transform:zitadel-validate', 'auth0|case-twin', `userName already used by ${firstUserId}`],
      ['transform:field-mapper', 'auth0|huge-metadata', "user_metadata.avatar: value is 600002 bytes as JSON, over ZITADEL's 500000 (metadata.onOversized: reject)"],
    ]);
  });

  it('maps a plain database user completely, password hash copied untouched', () => {
    const user = userOf('alt-id');
    expect(user.userId).toMatch(/^auth0\|legacy-/);
    expect(user.user.userName).toBe(profileOf(user.userId).username ?? user.user.email.email);
    expect(user.user.hashedPassword?.value).toMatch(/^\$2[ab]\$10\$/);
    expect(user.state).toBe('USER_STATE_ACTIVE');
    expect(Object.fromEntries(user.metadata.map((entry) => [entry.key, decode(entry.value)]))).toMatchObject({
      'user_metadata.plan': expect.any(String),
      'user_metadata.newsletter': expect.any(Boolean),
      'app_metadata.tenant': 'acme',
      auth0_logins_count: expect.any(Number),
    });
  });

  it('names each user by its Auth0 username when it has one, else by its e-mail (both log in to ZITADEL)', () => {
    let withoutUsername = 0;
    for (const user of users.values()) {
      const username = profileOf(user.userId).username?.trim();
      if (!username) withoutUsername++;
      expect(user.user.userName, user.userId).toBe(username || user.user.email.email);
    }
    expect(withoutUsername).toBeLessThan(users.size);
    expect(withoutUsername).toBeGreaterThan(0);
  });

  it('cuts the 201-rune name at 200 runes and keeps given/family names', () => {
    const user = userOf('long-name');
    expect(runes(user.user.profile.displayName)).toBe(200);
    expect(user.user.profile.firstName).not.toBe(user.user.profile.lastName);
    expect(report.metrics['field-mapper']['truncated profile.displayName']).toBe(1);
  });

  it('shortens the over-long locale to a tag of at most 10 characters', () => {
    expect(userOf('long-locale').user.profile.preferredLanguage).toBe('de-DE');
  });

  it('locks the blocked user', () => {
    expect(userOf('blocked').state).toBe('USER_STATE_LOCKED');
    expect(report.metrics['field-mapper'].blocked).toBeGreaterThanOrEqual(1);
  });

  it('drops the invalid phone and counts it', () => {
    expect(userOf('invalid-phone').user.phone).toBeUndefined();
    expect(report.metrics['field-mapper']['phones dropped (not E.164)']).toBeGreaterThanOrEqual(1);
  });

  it('links the Google user to the mapped IdP, without a password', () => {
    const user = userOf('social');
    expect(user.user.idps).toEqual([{ configId: 'idp-google', externalUserId: user.userId.slice('google-oauth2|'.length), displayName: user.user.email.email }]);
    expect(user.user.hashedPassword).toBeUndefined();
  });

  it('links only the mapped identity of a user with Google and GitHub', () => {
    const user = userOf('social-multi');
    expect(user.user.idps?.map((link) => link.configId)).toEqual(['idp-google']);
    expect(report.metrics['field-mapper']['unmapped connection github']).toBeGreaterThanOrEqual(1);
  });

  it('imports passwordless and hash-less users without a password', () => {
    for (const kind of ['passwordless', 'empty-hash', 'no-password-record'] as const) {
      expect(userOf(kind).user.hashedPassword, kind).toBeUndefined();
    }
  });

  it('keeps a multi-line bio as metadata, byte for byte', () => {
    const bio = userOf('multiline-bio').metadata.find((entry) => entry.key === 'user_metadata.bio');
    expect(decode(bio!.value)).toBe('First line, with a comma\nsecond line with "quotes"');
  });

  it('splits a lone name, normalizes locale and phone', () => {
    expect(users.get('auth0|only-name')?.user).toMatchObject({
      profile: { firstName: 'Jean-Luc', lastName: 'Picard de la Barre', displayName: 'Jean-Luc Picard de la Barre', preferredLanguage: 'pt-BR' },
      phone: { phone: '+442079460958', isPhoneVerified: false },
    });
  });

  it('keeps __proto__ and constructor metadata keys as data', () => {
    expect(users.get('auth0|hostile')?.metadata.map((entry) => [entry.key, decode(entry.value)])).toEqual([
      ['user_metadata.__proto__', { polluted: true }],
      ['user_metadata.constructor', { prototype: { polluted: true } }],
    ]);
  });

  it('every written user has the ZITADEL-required fields within their limits', () => {
    for (const user of users.values()) {
      const { profile, email, userName } = user.user;
      for (const [field, value] of Object.entries({ userName, firstName: profile.firstName, lastName: profile.lastName, email: email.email })) {
        expect(runes(value), `${user.userId} ${field}`).toBeGreaterThan(0);
        expect(runes(value), `${user.userId} ${field}`).toBeLessThanOrEqual(200);
      }
      expect((profile.preferredLanguage ?? '').length).toBeLessThanOrEqual(10);
      if (user.user.phone) expect(user.user.phone.phone).toMatch(/^\+[1-9][0-9]{1,14}$/);
    }
  });
});
