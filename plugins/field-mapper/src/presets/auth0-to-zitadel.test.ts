// One or more rows per rule of the auth0-to-zitadel preset (issue #4), on real Auth0 shapes.
import type { Auth0Profile, Auth0UserRecord } from '@idflow/plugin-auth0';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { compileFieldMapperConfig } from '../compile-config.js';
import type { FieldMapperConfig } from '../config-schema.js';
import { recordingReport } from '../test-context.test-helpers.js';
import { mapAuth0User } from './auth0-to-zitadel.js';

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

function auth0User(profile: Partial<Auth0Profile>, record: Partial<Auth0UserRecord> = {}): Auth0UserRecord {
  return {
    profile: { user_id: 'auth0|65f0a1', email: 'jane@example.com', ...profile },
    passwordStatus: 'present',
    password: { hash: BCRYPT, oid: '65f0a1' },
    ...record,
  };
}

function map(record: unknown, options: Omit<FieldMapperConfig, 'preset' | 'mapping'> = {}) {
  const plan = compileFieldMapperConfig({ preset: 'auth0-to-zitadel', ...options });
  const report = recordingReport();
  const result = mapAuth0User(record, plan.preset!, report);
  return { result, counts: Object.fromEntries(report.counts), warnings: report.warnings, kinds: report.kinds };
}

function mapped(record: unknown, options: Omit<FieldMapperConfig, 'preset' | 'mapping'> = {}) {
  const { result, counts, warnings, kinds } = map(record, options);
  if (!result.ok) throw new Error(`rejected: ${(result.rejection ?? result.skip).reason}`);
  return { user: result.value as ZitadelUserRecord, counts, warnings, kinds };
}

describe('auth0-to-zitadel: the whole record', () => {
  it('maps a complete database user', () => {
    const { user } = mapped(
      auth0User({
        email_verified: true,
        given_name: 'Jane',
        family_name: 'Doe',
        name: 'Jane Doe',
        nickname: 'jd',
        locale: 'en-US',
        phone_number: '+14155550123',
        phone_verified: true,
        user_metadata: { plan: 'gold' },
      }),
    );
    expect(user).toEqual({
      userId: 'auth0|65f0a1',
      user: {
        userName: 'jane@example.com',
        profile: { firstName: 'Jane', lastName: 'Doe', displayName: 'Jane Doe', nickName: 'jd', preferredLanguage: 'en-US' },
        email: { email: 'jane@example.com', isEmailVerified: true },
        phone: { phone: '+14155550123', isPhoneVerified: true },
        hashedPassword: { value: BCRYPT },
      },
      metadata: [{ key: 'user_metadata.plan', value: b64('gold') }],
      state: 'USER_STATE_ACTIVE',
    });
  });
});

describe('userId and userName', () => {
  it('keeps the Auth0 user_id as userId (re-runs are idempotent)', () => {
    expect(mapped(auth0User({ user_id: 'google-oauth2|1083' })).user.userId).toBe('google-oauth2|1083');
  });

  it.each([
    ['username (default)', {}, { username: 'jdoe' }, 'jdoe', undefined],
    ['username (default) falls back to email', {}, {}, 'jane@example.com', 1],
    ['email', { userName: 'email' }, { username: 'jdoe' }, 'jane@example.com', undefined],
    ['username', { userName: 'username' }, { username: 'jdoe' }, 'jdoe', undefined],
    ['username falls back to email', { userName: 'username' }, {}, 'jane@example.com', 1],
    ['user_id', { userName: 'user_id' }, { username: 'jdoe' }, 'auth0|65f0a1', undefined],
  ] as const)('strategy %s', (_name, options, profile, expected, fallbackCount) => {
    const { user, counts } = mapped(auth0User(profile), options);
    expect(user.user.userName).toBe(expected);
    expect(counts['userName from email (no username)']).toBe(fallbackCount);
  });
});

describe('firstName and lastName', () => {
  it.each([
    ['given_name and family_name', { given_name: 'Jane', family_name: 'Doe', name: 'J. D.' }, 'Jane', 'Doe', undefined],
    ['name split into first word and the rest', { name: 'Jean-Luc Picard de la Barre' }, 'Jean-Luc', 'Picard de la Barre', 'names split from name'],
    ['a single-word name fills both', { name: 'Madonna' }, 'Madonna', 'Madonna', 'names split from name'],
    ['CJK name without spaces fills both', { name: '山田太郎' }, '山田太郎', '山田太郎', 'names split from name'],
    ['no name: nickname fills both', { nickname: 'jdoe' }, 'jdoe', 'jdoe', 'names from nickname'],
    ['no name, no nickname: email local part', {}, 'jane', 'jane', 'names from email local part'],
    ['a name that is the email is not a name', { name: 'jane@example.com', nickname: 'jane.d' }, 'jane.d', 'jane.d', 'names from nickname'],
    ['blank given_name is absent', { given_name: '  ', family_name: 'Doe', name: 'Jane Doe' }, 'Jane', 'Doe', 'names split from name'],
    ['given_name only: last name is the rest of name', { given_name: 'Mary Ann', name: 'Mary Ann Smith' }, 'Mary Ann', 'Smith', 'names split from name'],
    ['family_name only: first name is name before it', { family_name: 'de la Barre', name: 'Jean Luc de la Barre' }, 'Jean Luc', 'de la Barre', 'names split from name'],
    ['given_name only, no name: nickname for the last', { given_name: 'Jane', nickname: 'jd' }, 'Jane', 'jd', 'names from nickname'],
  ] as const)('%s', (_rule, profile, firstName, lastName, counter) => {
    const { user, counts } = mapped(auth0User(profile));
    expect(user.user.profile).toMatchObject({ firstName, lastName });
    if (counter) expect(counts[counter]).toBe(1);
    else expect(Object.keys(counts).filter((k) => k.startsWith('names'))).toEqual([]);
  });

  it('the reference converter defect is gone: "Jane Smith" no longer fills both', () => {
    expect(mapped(auth0User({ name: 'Jane Smith' })).user.user.profile).toMatchObject({ firstName: 'Jane', lastName: 'Smith' });
  });
});

describe('200-rune limits', () => {
  it.each([
    ['profile.firstName', { given_name: '😀'.repeat(201), family_name: 'Doe' }, (u: ZitadelUserRecord) => u.user.profile.firstName, '😀'.repeat(200)],
    ['profile.lastName', { given_name: 'Jane', family_name: '山'.repeat(250) }, (u: ZitadelUserRecord) => u.user.profile.lastName, '山'.repeat(200)],
    ['profile.displayName', { name: `Jane ${'é'.repeat(300)}` }, (u: ZitadelUserRecord) => u.user.profile.displayName, `Jane ${'é'.repeat(195)}`],
    ['profile.nickName', { nickname: 'n'.repeat(201) }, (u: ZitadelUserRecord) => u.user.profile.nickName, 'n'.repeat(200)],
  ] as const)('%s is cut at 200 runes (not UTF-16 units) with a counted warning', (field, profile, read, expected) => {
    const { user, counts, warnings } = mapped(auth0User(profile));
    expect(read(user)).toBe(expected);
    expect(counts[`truncated ${field}`]).toBe(1);
    expect(warnings.some((w) => w.startsWith(`auth0|65f0a1: ${field} cut from`) && w.endsWith('to 200 runes'))).toBe(true);
  });

  it('200 emoji (400 UTF-16 units) are not cut', () => {
    const { user, counts } = mapped(auth0User({ given_name: '😀'.repeat(200), family_name: 'Doe' }));
    expect(user.user.profile.firstName).toBe('😀'.repeat(200));
    expect(counts['truncated profile.firstName']).toBeUndefined();
  });
});

describe('displayName, nickName, preferredLanguage', () => {
  it('displayName = name, nickName = nickname, omitted when absent', () => {
    expect(mapped(auth0User({ name: 'Jane Doe', nickname: 'jd' })).user.user.profile).toMatchObject({ displayName: 'Jane Doe', nickName: 'jd' });
    const bare = mapped(auth0User({})).user.user.profile;
    expect('displayName' in bare || 'nickName' in bare).toBe(false);
  });

  it.each([
    ['en', {}, 'en', undefined],
    ['en-US', {}, 'en-US', undefined],
    ['en-US', { preferredLanguage: 'base' }, 'en', undefined],
    ['pt_BR', {}, 'pt-BR', undefined],
    ['en-US-x-twain', {}, 'en-US', 'languages shortened to 10 characters'],
    ['klingon!', {}, undefined, 'languages omitted (invalid locale)'],
    ['en_US,fr', {}, undefined, 'languages omitted (invalid locale)'],
  ] as const)('locale %j %j → %j', (locale, options, expected, counter) => {
    const { user, counts } = mapped(auth0User({ locale }), options);
    expect(user.user.profile.preferredLanguage).toBe(expected);
    if (counter) expect(counts[counter]).toBe(1);
  });
});

describe('email and isEmailVerified', () => {
  it.each([
    [true, 'source', true],
    [false, 'source', false],
    [undefined, 'source', false],
    [false, 'all-verified', true],
    [true, 'all-unverified', false],
  ] as const)('email_verified %j with %s → %j', (emailVerified, policy, expected) => {
    const { user } = mapped(auth0User({ email_verified: emailVerified }), { emailVerified: policy });
    expect(user.user.email).toEqual({ email: 'jane@example.com', isEmailVerified: expected });
  });

  it('trims the address', () => {
    expect(mapped(auth0User({ email: ' jane@example.com\n' })).user.user.email.email).toBe('jane@example.com');
  });

  it.each([
    ['no email', { email: undefined }],
    ['an empty email', { email: '' }],
    ['a blank email', { email: '   ' }],
  ])('rejects a user with %s (ZITADEL requires one)', (_case, profile) => {
    expect(map(auth0User(profile)).result).toEqual({
      ok: false,
      rejection: { reason: 'profile.email is missing: ZITADEL requires an email address for every user' },
    });
  });
});

describe('phone and isPhoneVerified', () => {
  it.each([
    ['+14155550123', true, { phone: '+14155550123', isPhoneVerified: true }, undefined],
    ['+14155550123', undefined, { phone: '+14155550123', isPhoneVerified: false }, undefined],
    ['+44 20 7946 0958', false, { phone: '+442079460958', isPhoneVerified: false }, 'phones normalized to E.164'],
    ['4155550123', true, undefined, 'phones dropped (not E.164)'],
    ['+1 415 CALL-NOW', false, undefined, 'phones dropped (not E.164)'],
  ] as const)('%j (verified %j) → %j', (phoneNumber, verified, expected, counter) => {
    const { user, counts, warnings, kinds } = mapped(auth0User({ phone_number: phoneNumber, phone_verified: verified }));
    expect(user.user.phone).toEqual(expected);
    if (counter) expect(counts[counter]).toBe(1);
    if (counter === 'phones dropped (not E.164)') {
      expect(warnings).toEqual([`auth0|65f0a1: phone_number ${JSON.stringify(phoneNumber)} is not E.164; phone dropped`]);
      expect(kinds).toEqual(['phone dropped']);
    }
  });
});

describe('metadata', () => {
  const profile = JSON.parse(
    '{"user_metadata":{"plan":"gold","prefs":{"theme":"dark"}},"app_metadata":{"roles":["admin"],"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}}',
  );

  it('one entry per top-level key, prefixed by source, value = base64 of the JSON', () => {
    const { user, counts } = mapped(auth0User(profile));
    expect(user.metadata).toEqual([
      { key: 'user_metadata.plan', value: b64('gold') },
      { key: 'user_metadata.prefs', value: b64({ theme: 'dark' }) },
      { key: 'app_metadata.roles', value: b64(['admin']) },
      { key: 'app_metadata.__proto__', value: b64({ isAdmin: true }) },
      { key: 'app_metadata.constructor', value: b64({ prototype: { polluted: 1 } }) },
    ]);
    expect(counts['metadata entries']).toBe(5);
  });

  it('__proto__ and constructor keys are data: no prototype is touched', () => {
    const { user } = mapped(auth0User(profile));
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(user.metadata[0])).toBe(Object.prototype);
  });

  it('include and keyPrefix choose sources and names', () => {
    const { user } = mapped(auth0User(profile), { metadata: { include: ['user_metadata'], keyPrefix: { user_metadata: '' } } });
    expect(user.metadata.map((e) => e.key)).toEqual(['plan', 'prefs']);
    expect(mapped(auth0User(profile), { metadata: { include: [] } }).user.metadata).toEqual([]);
  });

  it('rejects when both sources produce the same key', () => {
    const record = auth0User({ user_metadata: { plan: 'a' }, app_metadata: { plan: 'b' } });
    expect(map(record, { metadata: { keyPrefix: { user_metadata: '', app_metadata: '' } } }).result).toEqual({
      ok: false,
      rejection: { reason: 'metadata key "plan" comes from both user_metadata.plan and app_metadata.plan; set metadata.keyPrefix so they differ' },
    });
  });

  const huge = auth0User({ user_metadata: { avatar: 'x'.repeat(500_000), plan: 'gold' } });

  it('rejects a value over 500,000 bytes by default', () => {
    expect(map(huge).result).toEqual({
      ok: false,
      rejection: { reason: "user_metadata.avatar: value is 500002 bytes as JSON, over ZITADEL's 500000 (metadata.onOversized: reject)" },
    });
  });

  it('drops it with a counted warning when onOversized is drop', () => {
    const { user, counts, warnings, kinds } = mapped(huge, { metadata: { onOversized: 'drop' } });
    expect(user.metadata).toEqual([{ key: 'user_metadata.plan', value: b64('gold') }]);
    expect(counts['metadata entries dropped (over ZITADEL limits)']).toBe(1);
    expect(warnings).toEqual(["auth0|65f0a1: metadata entry dropped: user_metadata.avatar: value is 500002 bytes as JSON, over ZITADEL's 500000"]);
    expect(kinds).toEqual(['metadata entry dropped']);
  });

  it('a key over 200 runes follows the same policy', () => {
    const record = auth0User({ app_metadata: { ['k'.repeat(190)]: 1 } });
    expect(map(record).result).toMatchObject({ ok: false, rejection: { reason: expect.stringContaining('metadata key is 203 runes') } });
    expect(mapped(record, { metadata: { onOversized: 'drop' } }).user.metadata).toEqual([]);
  });

  it('keeps a non-object metadata value whole, under the source name', () => {
    expect(mapped(auth0User({ user_metadata: 'legacy' as unknown as { [k: string]: unknown } })).user.metadata).toEqual([
      { key: 'user_metadata', value: b64('legacy') },
    ]);
  });
});

describe('blocked', () => {
  it.each([
    [true, {}, 'USER_STATE_LOCKED', 1],
    [true, { blockedState: 'inactive' }, 'USER_STATE_INACTIVE', 1],
    [false, {}, 'USER_STATE_ACTIVE', undefined],
    [undefined, {}, 'USER_STATE_ACTIVE', undefined],
  ] as const)('blocked %j %j → %s', (blocked, options, state, counted) => {
    const { user, counts } = mapped(auth0User({ blocked }), options);
    expect(user.state).toBe(state);
    expect(counts.blocked).toBe(counted);
  });
});

describe('passwords, social and passwordless users', () => {
  const google = {
    user_id: 'google-oauth2|1083',
    identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '1083', isSocial: true, profileData: { email: 'jane@gmail.com' } }],
  };

  it('copies the hash untouched when passwordStatus is present', () => {
    const hash = '$pbkdf2-sha512$i=100000,l=64$c2FsdA$aGFzaA';
    const { user, counts } = mapped(auth0User({}, { password: { hash, oid: '1' } }));
    expect(user.user.hashedPassword).toEqual({ value: hash });
    expect(counts['passwords copied']).toBe(1);
  });

  it('a user with a hash has no withoutPassword cause', () => {
    expect(mapped(auth0User({})).user.withoutPassword).toBeUndefined();
  });

  it.each([
    ['empty-hash', { passwordStatus: 'empty-hash', password: { hash: '', oid: '1' } }, 'no password (empty-hash)', 'no-hash-in-export'],
    ['missing', { passwordStatus: 'missing', password: undefined }, 'no password (missing)', 'no-hash-in-export'],
    ['present but blank', { passwordStatus: 'present', password: { hash: ' ', oid: '1' } }, 'no password (empty-hash)', 'no-hash-in-export'],
    ['social', { passwordStatus: 'social', password: undefined }, 'no password (social)', 'social'],
    ['passwordless', { passwordStatus: 'passwordless', password: undefined }, 'no password (passwordless)', 'passwordless'],
  ] as const)('imports a user with %s password without one, carrying the cause to the sinks', (_case, record, counter, cause) => {
    const { user, counts } = mapped(auth0User({}, record));
    expect(user.user.hashedPassword).toBeUndefined();
    expect(user.withoutPassword).toBe(cause);
    expect(counts[counter]).toBe(1);
  });

  it('links a social user when the connection is mapped', () => {
    const { user, counts } = mapped(auth0User(google, { passwordStatus: 'social', password: undefined }), { idpLinks: { 'google-oauth2': 'idp-google' } });
    expect(user.user.idps).toEqual([{ configId: 'idp-google', externalUserId: '1083', displayName: 'jane@gmail.com' }]);
    expect(user.user.hashedPassword).toBeUndefined();
    expect(counts['idp links']).toBe(1);
    expect(counts['needs IdP link']).toBeUndefined();
  });

  it('imports an unmapped social user without password, counted as needs IdP link', () => {
    const { user, counts } = mapped(auth0User(google, { passwordStatus: 'social', password: undefined }), { idpLinks: { github: 'idp-gh' } });
    expect(user.user.idps).toBeUndefined();
    expect(user.user.hashedPassword).toBeUndefined();
    expect(counts).toMatchObject({ 'needs IdP link': 1, 'no password (social)': 1, 'unmapped connection google-oauth2': 1 });
  });

  it('uses the string form of a numeric identity id (GitHub)', () => {
    const github = { user_id: 'github|4242', identities: [{ connection: 'github', provider: 'github', user_id: 4242 as unknown as string, isSocial: true }] };
    expect(mapped(auth0User(github, { passwordStatus: 'social' }), { idpLinks: { github: 'idp-gh' } }).user.user.idps).toEqual([
      { configId: 'idp-gh', externalUserId: '4242', displayName: 'jane@example.com' },
    ]);
  });

  it('derives the identity from user_id when the export has no identities (CSV)', () => {
    expect(mapped(auth0User({ user_id: 'google-oauth2|1083' }, { passwordStatus: 'social' }), { idpLinks: { 'google-oauth2': 'g' } }).user.user.idps).toEqual([
      { configId: 'g', externalUserId: '1083', displayName: 'jane@example.com' },
    ]);
  });

  it('links an enterprise (SAML) connection the same way', () => {
    const saml = { user_id: 'samlp|acme|jane', identities: [{ connection: 'acme-saml', provider: 'samlp', user_id: 'acme|jane', isSocial: false }] };
    expect(mapped(auth0User(saml, { passwordStatus: 'social' }), { idpLinks: { 'acme-saml': 'idp-acme' } }).user.user.idps).toEqual([
      { configId: 'idp-acme', externalUserId: 'acme|jane', displayName: 'jane@example.com' },
    ]);
  });

  it('imports a passwordless user without a password and without IdP link', () => {
    const passwordless = { user_id: 'email|5f1', identities: [{ connection: 'email', provider: 'email', user_id: '5f1', isSocial: false }] };
    const { user, counts } = mapped(auth0User(passwordless, { passwordStatus: 'passwordless', password: undefined }));
    expect(user.user.hashedPassword).toBeUndefined();
    expect(user.user.idps).toBeUndefined();
    expect(counts['no password (passwordless)']).toBe(1);
    expect(counts['needs IdP link']).toBeUndefined();
  });

  it('rejects an SMS passwordless user without email', () => {
    const sms = { user_id: 'sms|5f2', email: undefined, phone_number: '+14155550123' };
    expect(map(auth0User(sms, { passwordStatus: 'passwordless' })).result).toMatchObject({
      ok: false,
      rejection: { reason: 'profile.email is missing: ZITADEL requires an email address for every user' },
    });
  });
});

describe('malformed records', () => {
  it.each([
    [null, 'record is not an Auth0 user record (expected {profile, passwordStatus})'],
    [{ passwordStatus: 'present' }, 'record has no profile'],
    [{ profile: { email: 'a@b.c' }, passwordStatus: 'missing' }, 'profile.user_id is missing'],
  ])('rejects %j', (record, reason) => {
    expect(map(record).result).toEqual({ ok: false, rejection: { reason } });
  });
});
