import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { checkZitadelUserRecord, FIELD_NOTES, formatFieldProblem, inspectZitadelUserRecord, type TargetApi } from './field-rules.js';

function validRecord(): ZitadelUserRecord {
  return {
    userId: 'auth0|65f0a1',
    user: {
      userName: 'jane@example.com',
      profile: { firstName: 'Jane', lastName: 'Doe', displayName: 'Jane Doe', nickName: 'jd', preferredLanguage: 'pt-BR', gender: 'GENDER_FEMALE' },
      email: { email: 'jane@example.com', isEmailVerified: true },
      phone: { phone: '+14155550123', isPhoneVerified: false },
      hashedPassword: { value: '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy' },
      idps: [{ configId: '2871', externalUserId: '1083', displayName: 'Jane' }],
    },
    metadata: [{ key: 'user_metadata.plan', value: Buffer.from('"gold"').toString('base64') }],
    state: 'USER_STATE_ACTIVE',
  };
}

type Mutation = (r: ZitadelUserRecord) => void;
// biome-ignore lint/suspicious/noExplicitAny: tests deliberately write wrongly typed values
type Loose = any;

const r200 = 'x'.repeat(200);
const r201 = 'x'.repeat(201);
const emoji201 = '😀'.repeat(201);
const cjk201 = '山'.repeat(201);

/** [rule, mutation, expected problems]: every rule of zitadel-api.md's ImportHumanUserRequest table. */
const rows: [string, Mutation, string[]][] = [
  ['a valid record passes', () => {}, []],
  ['userId required', (r) => delete (r as Loose).userId, ['userId: is required']],
  ['userId not empty', (r) => (r.userId = ''), ['userId: must not be empty']],
  ['userId ≤ 200 runes', (r) => (r.userId = r201), ['userId: must be at most 200 runes (got 201)']],
  ['userName required', (r) => delete (r.user as Loose).userName, ['userName: is required']],
  ['userName not empty', (r) => (r.user.userName = ''), ['userName: must not be empty']],
  ['userName 200 runes is fine', (r) => (r.user.userName = r200), []],
  ['userName ≤ 200 runes', (r) => (r.user.userName = r201), ['userName: must be at most 200 runes (got 201)']],
  ['userName must be a string', (r) => ((r.user as Loose).userName = 42), ['userName: must be a string (got number)']],
  ['profile required', (r) => delete (r.user as Loose).profile, ['profile: is required']],
  ['firstName required', (r) => delete (r.user.profile as Loose).firstName, ['profile.firstName: is required']],
  ['firstName not empty', (r) => (r.user.profile.firstName = ''), ['profile.firstName: must not be empty']],
  ['firstName ≤ 200 runes', (r) => (r.user.profile.firstName = r201), ['profile.firstName: must be at most 200 runes (got 201)']],
  ['firstName: 200 emoji are 200 runes (400 UTF-16 units)', (r) => (r.user.profile.firstName = '😀'.repeat(200)), []],
  ['firstName: 201 emoji', (r) => (r.user.profile.firstName = emoji201), ['profile.firstName: must be at most 200 runes (got 201)']],
  ['lastName required', (r) => delete (r.user.profile as Loose).lastName, ['profile.lastName: is required']],
  ['lastName ≤ 200 runes (CJK)', (r) => (r.user.profile.lastName = cjk201), ['profile.lastName: must be at most 200 runes (got 201)']],
  ['nickName optional', (r) => delete r.user.profile.nickName, []],
  ['nickName ≤ 200 runes', (r) => (r.user.profile.nickName = r201), ['profile.nickName: must be at most 200 runes (got 201)']],
  ['displayName ≤ 200 runes', (r) => (r.user.profile.displayName = r201), ['profile.displayName: must be at most 200 runes (got 201)']],
  ['preferredLanguage ≤ 10', (r) => (r.user.profile.preferredLanguage = 'en-US-x-twain'), ['profile.preferredLanguage: must be at most 10 runes (got 13)']],
  // ZITADEL stores an unparsable language as "und" rather than refusing it: a note, not a reject.
  ['preferredLanguage need not be a BCP 47 tag', (r) => (r.user.profile.preferredLanguage = 'pt_BR'), []],
  ['gender enum', (r) => ((r.user.profile as Loose).gender = 'female'), ['profile.gender: must be one of GENDER_UNSPECIFIED, GENDER_FEMALE, GENDER_MALE, GENDER_DIVERSE (got "female")']],
  ['email required', (r) => delete (r.user as Loose).email, ['email: is required']],
  ['email.email required', (r) => delete (r.user.email as Loose).email, ['email.email: is required']],
  ['email.email not empty', (r) => (r.user.email.email = ''), ['email.email: must not be empty']],
  ['email.email ≤ 200 runes', (r) => (r.user.email.email = `${'a'.repeat(189)}@example.com`), ['email.email: must be at most 200 runes (got 201)']],
  ['email.email looks like an email', (r) => (r.user.email.email = 'jane.example.com'), ['email.email: must be an email address (got "jane.example.com")']],
  ['email.email no display name', (r) => (r.user.email.email = 'Jane <jane@example.com>'), ['email.email: must be an email address (got "Jane <jane@example.com>")']],
  ['isEmailVerified bool', (r) => ((r.user.email as Loose).isEmailVerified = 'yes'), ['email.isEmailVerified: must be true or false (got string)']],
  ['phone optional', (r) => delete r.user.phone, []],
  ['phone.phone required in a phone', (r) => delete (r.user.phone as Loose).phone, ['phone.phone: is required']],
  ['phone.phone starts with + (import)', (r) => (r.user.phone!.phone = '4155550123'), ['phone.phone: must start with + (got "4155550123")']],
  ['phone.phone ≤ 50 runes', (r) => (r.user.phone!.phone = '+' + '1'.repeat(50)), ['phone.phone: must be at most 50 runes (got 51)']],
  ['isPhoneVerified bool', (r) => ((r.user.phone as Loose).isPhoneVerified = 1), ['phone.isPhoneVerified: must be true or false (got number)']],
  ['hashedPassword optional', (r) => delete r.user.hashedPassword, []],
  ['hashedPassword.value not empty', (r) => (r.user.hashedPassword!.value = ''), ['hashedPassword.value: must not be empty']],
  ['hashedPassword.value ≤ 200 runes (v2)', (r) => (r.user.hashedPassword!.value = '$' + r200), ['hashedPassword.value: must be at most 200 runes (got 201)']],
  ['idps[].configId required', (r) => delete (r.user.idps![0] as Loose).configId, ['idps[0].configId: is required']],
  ['idps[].configId ≤ 200', (r) => (r.user.idps![0].configId = r201), ['idps[0].configId: must be at most 200 runes (got 201)']],
  ['idps[].externalUserId not empty', (r) => (r.user.idps![0].externalUserId = ''), ['idps[0].externalUserId: must not be empty']],
  ['idps[].displayName ≤ 200', (r) => (r.user.idps![0].displayName = r201), ['idps[0].displayName: must be at most 200 runes (got 201)']],
  ['metadata key not empty', (r) => (r.metadata[0].key = ''), ['metadata[0].key: must not be empty']],
  ['metadata key ≤ 200 runes', (r) => (r.metadata[0].key = r201), ['metadata[0].key: must be at most 200 runes (got 201)']],
  ['metadata value base64', (r) => (r.metadata[0].value = 'gold!'), ['metadata[0].value: must be base64']],
  ['metadata value not empty', (r) => (r.metadata[0].value = ''), ['metadata[0].value: must not be empty']],
  ['metadata value 500,000 bytes is fine', (r) => (r.metadata[0].value = Buffer.alloc(500_000, 1).toString('base64')), []],
  ['metadata value ≤ 500,000 bytes decoded', (r) => (r.metadata[0].value = Buffer.alloc(500_001, 1).toString('base64')), ['metadata[0].value: must be at most 500000 bytes decoded (got 500001)']],
  ['firstName only whitespace (v2 trims it)', (r) => (r.user.profile.firstName = '  '), ['profile.firstName: must not be only whitespace (the v2 API trims it and refuses it empty)']],
  ['email local part ≤ 64 bytes (v2)', (r) => (r.user.email.email = `${'a'.repeat(65)}@example.com`), ['email.email: local part must be at most 64 bytes for the v2 API']],
  [
    'email host labels ASCII (v2)',
    (r) => (r.user.email.email = 'jörg@müller.de'),
    ['email.email: domain label "müller" may only hold ASCII letters, digits and hyphens for the v2 API (internationalized domains must be punycode, e.g. xn--mller-kva.de)'],
  ],
  [
    'a lone surrogate anywhere',
    (r) => (r.user.profile.displayName = 'Ada \ud83d'),
    ["profile.displayName: contains a lone UTF-16 surrogate \\uD83D at index 4 (not valid Unicode: ZITADEL's JSON decoder would refuse the whole request)"],
  ],
  [
    'a lone surrogate in a metadata key',
    (r) => (r.metadata[0].key = '\udc00plan'),
    ["metadata[0].key: contains a lone UTF-16 surrogate \\uDC00 at index 0 (not valid Unicode: ZITADEL's JSON decoder would refuse the whole request)"],
  ],
  ['state enum', (r) => ((r as Loose).state = 'USER_STATE_DELETED'), ['state: must be one of USER_STATE_ACTIVE, USER_STATE_INACTIVE, USER_STATE_LOCKED (got "USER_STATE_DELETED")']],
  [
    'several problems are all reported, in field order',
    (r) => {
      r.user.profile.firstName = r201;
      r.user.phone!.phone = '0123';
    },
    ['profile.firstName: must be at most 200 runes (got 201)', 'phone.phone: must start with + (got "0123")'],
  ],
];

describe('checkZitadelUserRecord', () => {
  it.each(rows)('%s', (_rule, mutate, expected) => {
    const record = validRecord();
    mutate(record);
    expect(checkZitadelUserRecord(record).map(formatFieldProblem)).toEqual(expected);
  });

  it('applies each API\'s own rules: + prefix and 50 runes on import phones, ASCII e-mail hosts and trimmed names on v2', () => {
    const record = validRecord();
    record.user.phone = { phone: '0791234567' };
    record.user.email.email = 'jörg@müller.de';
    record.user.profile.lastName = ' ';
    const byApi = (api: TargetApi) => inspectZitadelUserRecord(record, api);
    expect(byApi('import')).toEqual({ problems: [{ field: 'phone.phone', message: 'must start with + (got "0791234567")' }], notes: [] });
    expect(byApi('v2').problems.map((p) => p.field)).toEqual(['profile.lastName', 'email.email']);
    expect(byApi('v2').notes).toEqual([FIELD_NOTES.phoneWithoutPlus]);
    expect(byApi('any').problems.map((p) => p.field)).toEqual(['profile.lastName', 'email.email', 'phone.phone']);
    record.user.phone = { phone: `+${'1'.repeat(60)}` };
    expect(byApi('import').problems.map(formatFieldProblem)).toEqual(['phone.phone: must be at most 50 runes (got 61)']);
    expect(byApi('v2').problems.map((p) => p.field)).not.toContain('phone.phone');
  });

  it('notes, without refusing, a language ZITADEL cannot parse', () => {
    const record = validRecord();
    record.user.profile.preferredLanguage = 'pt_BR';
    expect(inspectZitadelUserRecord(record, 'import')).toEqual({ problems: [], notes: [FIELD_NOTES.preferredLanguage] });
  });

  it('accepts a hash over 200 runes for the import API only', () => {
    const record = validRecord();
    record.user.hashedPassword = { value: '$' + r200 };
    const byApi = (api: TargetApi) => checkZitadelUserRecord(record, api).map(formatFieldProblem);
    expect(byApi('import')).toEqual([]);
    expect(byApi('v2')).toEqual(['hashedPassword.value: must be at most 200 runes (got 201)']);
  });

  it.each([
    [null, 'record: must be a ZITADEL user record object (got null)'],
    ['text', 'record: must be a ZITADEL user record object (got string)'],
    [{ userId: 'a', metadata: [] }, 'user: is required'],
  ])('refuses a non-record %j', (value, problem) => {
    expect(checkZitadelUserRecord(value).map(formatFieldProblem)).toContain(problem);
  });
});
