// UpdateUser (PATCH /v2/users/{id}) and the deprecated UpdateHumanUser (PUT /v2/users/human/{id}):
// Commands.ChangeUserHuman in internal/command/user_v2_human.go, part by part, and above all which
// requests write events and which write none.
import { hashPassword } from '@idflow/password-hashes';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, addV2User, call, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

let oldHash: string;
let newHash: string;
beforeAll(async () => {
  [oldHash, newHash] = await Promise.all([
    hashPassword('bcrypt', 'Password1!', { cost: 10 }),
    hashPassword('bcrypt', 'Changed2?', { cost: 10 }),
  ]);
});

/** A user with a verified e-mail, the old password's hash and `en`, optionally more. */
async function seed(emulator: RunningEmulator, userId: string, extra: Record<string, unknown> = {}): Promise<void> {
  await addV2User(emulator, userId, {
    profile: { givenName: 'Ada', familyName: 'Lovelace', preferredLanguage: 'en' },
    hashedPassword: { hash: oldHash },
    ...extra,
  });
}

/** The user's events after `after` (a sequence), as [type, payload]. */
async function eventsSince(emulator: RunningEmulator, userId: string, after: number): Promise<[string, Record<string, unknown>][]> {
  const answer = await call(emulator, 'POST', '/admin/v1/events/_search', { aggregateId: userId, asc: true, sequence: after });
  return (answer.body.events ?? []).map((event: { type: { type: string }; payload: Record<string, unknown> }) => [event.type.type, event.payload]);
}

async function lastSequence(emulator: RunningEmulator): Promise<number> {
  const answer = await call(emulator, 'POST', '/admin/v1/events/_search', { limit: 1 });
  return Number(answer.body.events[0].sequence);
}

const update = (emulator: RunningEmulator, userId: string, body: unknown) => call(emulator, 'PATCH', `/v2/users/${userId}`, body);
const getUser = async (emulator: RunningEmulator, userId: string) => (await call(emulator, 'GET', `/v2/users/${userId}`)).body.user;
const login = async (emulator: RunningEmulator, loginName: string, password: string) =>
  (await call(emulator, 'POST', '/v2/sessions', { checks: { user: { loginName }, password: { password } } })).status;

function errorId(answer: ApiAnswer): string | undefined {
  return answer.body?.details?.[0]?.id;
}

describe('UpdateUser: a request equal to the stored user writes no event', () => {
  it('answers 200 with the unchanged change date for the same profile, e-mail, phone and metadata', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'same', { phone: { phone: '+41791234567', isVerified: true }, metadata: [{ key: 'plan', value: 'cHJv' }] });
    const before = await getUser(emulator, 'same');
    const from = await lastSequence(emulator);
    const answer = await update(emulator, 'same', {
      username: 'same',
      human: {
        // The display name is the one ensureDisplayName stored at creation; `en` equals the stored tag.
        profile: { givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', preferredLanguage: 'en' },
        email: { email: 'same@example.com', isVerified: true },
        // National format: normalised to the stored E.164 number (Phone.Validate) before comparing.
        phone: { phone: '079 123 45 67', isVerified: true },
      },
      metadata: [
        { key: 'plan', value: 'cHJv' },
        { key: 'absent', value: '' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ changeDate: before.details.changeDate });
    expect(await eventsSince(emulator, 'same', from)).toEqual([]);
  });

  it('never re-sends a code or "un-verifies" for the same address (changeUserEmail)', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'mail');
    const from = await lastSequence(emulator);
    for (const email of [{ email: 'mail@example.com' }, { email: 'mail@example.com', isVerified: false }, { email: 'mail@example.com', sendCode: {} }]) {
      expect((await update(emulator, 'mail', { human: { email } })).status).toBe(200);
    }
    expect(await eventsSince(emulator, 'mail', from)).toEqual([]);
    expect(emulator.stats().notifications.verificationEmails).toBe(0);
  });
});

describe('UpdateUser: the events of each changed part', () => {
  it('profile: one user.human.profile.changed with the changed fields only (NewProfileChangedEvent)', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'prof');
    const from = await lastSequence(emulator);
    const answer = await update(emulator, 'prof', {
      human: { profile: { givenName: 'Ada', familyName: 'King', preferredLanguage: 'de-ch', gender: 'GENDER_FEMALE' } },
    });
    expect(answer.status).toBe(200);
    // gender as domain.Gender (female = 1), the language as its tag's String().
    expect(await eventsSince(emulator, 'prof', from)).toEqual([['user.human.profile.changed', { lastName: 'King', preferredLanguage: 'de-CH', gender: 1 }]]);
    const user = await getUser(emulator, 'prof');
    // The display name stays the one stored at creation.
    expect(user.human.profile).toEqual({
      givenName: 'Ada',
      familyName: 'King',
      nickName: '',
      displayName: 'Ada Lovelace',
      preferredLanguage: 'de-CH',
      gender: 'GENDER_FEMALE',
    });
  });

  it('e-mail: changed + verified, or changed + a code that is sent, or returned with returnCode', async () => {
    const emulator = await useEmulator();
    await Promise.all(['e1', 'e2', 'e3', 'e4'].map((id) => seed(emulator, id)));
    const from = await lastSequence(emulator);
    expect((await update(emulator, 'e1', { human: { email: { email: 'new1@example.com', isVerified: true } } })).status).toBe(200);
    expect((await update(emulator, 'e2', { human: { email: { email: 'new2@example.com' } } })).status).toBe(200);
    const returned = await update(emulator, 'e3', { human: { email: { email: 'new3@example.com', returnCode: {} } } });
    expect(returned.body.emailCode).toMatch(/^\S+$/);
    expect(await eventsSince(emulator, 'e1', from)).toEqual([
      ['user.human.email.changed', { email: 'new1@example.com' }],
      ['user.human.email.verified', {}],
    ]);
    expect(await eventsSince(emulator, 'e2', from)).toEqual([
      ['user.human.email.changed', { email: 'new2@example.com' }],
      ['user.human.email.code.added', { expiry: 3600e9 }],
    ]);
    expect((await eventsSince(emulator, 'e3', from))[1]).toEqual(['user.human.email.code.added', { expiry: 3600e9, code_returned: true }]);
    expect((await getUser(emulator, 'e2')).human.email).toEqual({ email: 'new2@example.com' });
    // The sent code is a notification; the returned one is not (user_notifier.go).
    expect(emulator.stats().notifications.verificationEmails).toBe(1);
    // The same unverified address with isVerified: only the verified event (no e-mail change).
    const later = await lastSequence(emulator);
    await update(emulator, 'e2', { human: { email: { email: 'new2@example.com', isVerified: true } } });
    expect(await eventsSince(emulator, 'e2', later)).toEqual([['user.human.email.verified', {}]]);
  });

  it('phone: changed + code or verified; an empty number removes it, even when there is none (changeUserPhone)', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'p1');
    await seed(emulator, 'p2', { phone: { phone: '+41791234567', isVerified: true } });
    const from = await lastSequence(emulator);
    await update(emulator, 'p1', { human: { phone: { phone: '+41 79 765 43 21' } } });
    expect(await eventsSince(emulator, 'p1', from)).toEqual([
      ['user.human.phone.changed', { phone: '+41797654321' }],
      ['user.human.phone.code.added', { expiry: 3600e9 }],
    ]);
    await update(emulator, 'p2', { human: { phone: { phone: '' } } });
    expect(await eventsSince(emulator, 'p2', from)).toEqual([['user.human.phone.removed', {}]]);
    expect((await getUser(emulator, 'p2')).human.phone).toEqual({});
    // No phone at all and removed again: ZITADEL still writes the event.
    const again = await lastSequence(emulator);
    await update(emulator, 'p2', { human: { phone: {} } });
    expect(await eventsSince(emulator, 'p2', again)).toEqual([['user.human.phone.removed', {}]]);
    // updateHumanUserToCommand: verifying an empty number is refused before anything is read.
    const refused = await update(emulator, 'p2', { human: { phone: { phone: '', isVerified: true } } });
    expect(refused.status).toBe(400);
    expect(errorId(refused)).toBe('USERv2-4f3d6');
    const invalid = await update(emulator, 'p2', { human: { phone: { phone: 'not a number' } } });
    expect(errorId(invalid)).toBe('PHONE-so0wa');
  });

  it('password hash: user.human.password.changed; the new password logs in and the old one no longer does', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'pw');
    expect(await login(emulator, 'pw', 'Password1!')).toBe(201);
    const from = await lastSequence(emulator);
    const answer = await update(emulator, 'pw', { human: { password: { hashedPassword: { hash: newHash } } } });
    expect(answer.status).toBe(200);
    expect(await eventsSince(emulator, 'pw', from)).toEqual([['user.human.password.changed', { encodedHash: newHash, changeRequired: false }]]);
    expect(await login(emulator, 'pw', 'Changed2?')).toBe(201);
    expect(await login(emulator, 'pw', 'Password1!')).toBe(400);
    // setPasswordCommand never compares hashes: the same hash again is another event.
    const again = await lastSequence(emulator);
    await update(emulator, 'pw', { human: { password: { hashedPassword: { hash: newHash, changeRequired: true } } } });
    expect((await eventsSince(emulator, 'pw', again)).map(([type]) => type)).toEqual(['user.human.password.changed']);
    expect((await getUser(emulator, 'pw')).human.passwordChangeRequired).toBe(true);
  });

  it('password: refused for an INITIAL user, an out-of-bounds hash, a weak plain one, a wrong current one', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'strict');
    // An import without a verified e-mail leaves the user INITIAL (Human.IsInitialState).
    await call(emulator, 'POST', '/admin/v1/import', {
      dataOrgs: {
        orgs: [
          {
            orgId: emulator.orgId,
            humanUsers: [
              {
                userId: 'init',
                user: { userName: 'init', profile: { firstName: 'I', lastName: 'N' }, email: { email: 'init@example.com' }, hashedPassword: { value: oldHash } },
              },
            ],
          },
        ],
      },
      timeout: '1m',
    });
    const initial = await update(emulator, 'init', { human: { password: { hashedPassword: { hash: newHash } } } });
    expect([initial.status, errorId(initial), initial.body.message]).toEqual([400, 'COMMAND-M9dse', 'User is not yet initialized (COMMAND-M9dse)']);
    const cheap = await update(emulator, 'strict', { human: { password: { hashedPassword: { hash: await hashPassword('bcrypt', 'x', { cost: 4 }) } } } });
    expect([cheap.status, errorId(cheap)]).toEqual([400, 'CRYPT-5uV9n']);
    // The default complexity policy (cmd/defaults.yaml): 8 bytes, lower, upper, digit, symbol.
    const weak = await update(emulator, 'strict', { human: { password: { password: { password: 'short' } } } });
    expect([weak.status, errorId(weak)]).toEqual([400, 'DOMAIN-HuJf6']);
    const noSymbol = await update(emulator, 'strict', { human: { password: { password: { password: 'Abcdefg1' } } } });
    expect(errorId(noSymbol)).toBe('DOMAIN-ZDLwA');
    const empty = await update(emulator, 'strict', { human: { password: {} } });
    expect(errorId(empty)).toBe('COMMAND-3klek4sbns');
    const from = await lastSequence(emulator);
    const wrongCurrent = await update(emulator, 'strict', { human: { password: { password: { password: 'Str0ng!pw' }, currentPassword: 'nope' } } });
    expect([wrongCurrent.status, errorId(wrongCurrent)]).toEqual([400, 'COMMAND-3M0fs']);
    // checkCurrentPassword pushes the failed check although the call fails.
    expect(await eventsSince(emulator, 'strict', from)).toEqual([['user.human.password.check.failed', {}]]);
    const plain = await update(emulator, 'strict', { human: { password: { password: { password: 'Str0ng!pw' }, currentPassword: 'Password1!' } } });
    expect(plain.status).toBe(200);
    expect(await login(emulator, 'strict', 'Str0ng!pw')).toBe(201);
  });

  it('metadata: set, removed by an empty value, unchanged values and missing keys write nothing (createMetadataEvents)', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'meta', { metadata: [{ key: 'a', value: 'MQ==' }, { key: 'b', value: 'Mg==' }] });
    const from = await lastSequence(emulator);
    // UpdateUser's user_type must be set even for metadata only: `human: {}`.
    await update(emulator, 'meta', {
      human: {},
      metadata: [
        { key: 'a', value: 'MQ==' },
        { key: 'b', value: '' },
        { key: 'c', value: 'Mw==' },
        { key: 'nothing', value: '' },
      ],
    });
    expect(await eventsSince(emulator, 'meta', from)).toEqual([
      ['user.metadata.removed', { key: 'b' }],
      ['user.metadata.set', { key: 'c', value: 'Mw==' }],
    ]);
    const listed = await call(emulator, 'POST', '/v2/users/meta/metadata/search', { pagination: { asc: true } });
    expect(listed.body.metadata.map((entry: { key: string }) => entry.key)).toEqual(['a', 'c']);
  });

  it('user name: user.username.changed, logs in under the new name; a taken one is 409 V3-DKcYh', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'old-name');
    await seed(emulator, 'other');
    const from = await lastSequence(emulator);
    expect((await update(emulator, 'old-name', { username: 'new-name', human: {} })).status).toBe(200);
    expect(await eventsSince(emulator, 'old-name', from)).toEqual([['user.username.changed', { userName: 'new-name' }]]);
    expect(await login(emulator, 'new-name', 'Password1!')).toBe(201);
    const taken = await update(emulator, 'old-name', { username: 'OTHER', human: {} });
    expect([taken.status, errorId(taken), taken.body.message]).toEqual([409, 'V3-DKcYh', 'User already exists (V3-DKcYh)']);
  });
});

describe('UpdateUser: repeated and concurrent requests', () => {
  it('applies an e-mail change once when the same request arrives five times at once; a password each time', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'twice');
    const from = await lastSequence(emulator);
    // A plain password is hashed off the event loop: the requests overlap while it runs.
    const body = { human: { email: { email: 'moved@example.com', isVerified: true }, password: { password: { password: 'Str0ng!pw' } } } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => update(emulator, 'twice', body)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const types = (await eventsSince(emulator, 'twice', from)).map(([type]) => type);
    expect(types.filter((type) => type === 'user.human.email.changed')).toHaveLength(1);
    expect(types.filter((type) => type === 'user.human.password.changed')).toHaveLength(5);
  });
});

describe('UpdateUser: errors, their order, and the permission', () => {
  it('answers 404 COMMAND-ugjs0upun6 for an unknown user, after the request rules', async () => {
    const emulator = await useEmulator();
    const unknown = await update(emulator, 'nobody', { human: { profile: { givenName: 'X' } } });
    expect([unknown.status, unknown.body.code, errorId(unknown)]).toEqual([404, 5, 'COMMAND-ugjs0upun6']);
    // PGV first: optional profile fields are 1–200 when present.
    const rule = await update(emulator, 'nobody', { human: { profile: { givenName: '' } } });
    expect(rule.status).toBe(400);
    expect(rule.body.message).toBe(
      'invalid UpdateUserRequest.Human: embedded message failed validation | caused by: invalid UpdateUserRequest_Human.Profile: embedded message failed validation | caused by: invalid UpdateUserRequest_Human_Profile.GivenName: value length must be between 1 and 200 runes, inclusive',
    );
    // Neither human nor machine, e.g. metadata alone: the user_type switch answers Unimplemented.
    const typeless = await update(emulator, 'nobody', { username: 'x', metadata: [{ key: 'k', value: 'dg==' }] });
    expect([typeless.status, typeless.body.code]).toEqual([501, 12]);
  });

  it('checks user.write only when something was asked for (ChangeHuman.Changed)', async () => {
    const emulator = await useEmulator({ orgs: [{ id: 'org-a' }, { id: 'org-b' }] });
    await seed(emulator, 'in-a');
    const writerOfB = await emulator.createServiceUser({ orgId: 'org-b', role: 'ORG_USER_WRITER' });
    const asked = await call(emulator, 'PATCH', '/v2/users/in-a', { human: { profile: { nickName: 'x' } } }, writerOfB.pat);
    expect(asked.status).toBe(403);
    const nothing = await call(emulator, 'PATCH', '/v2/users/in-a', { human: {} }, writerOfB.pat);
    expect(nothing.status).toBe(200);
  });
});

describe('UpdateHumanUser (PUT /v2/users/human/{id}, deprecated): the same command', () => {
  it('answers details, keeps an empty phone (no removal there) and writes nothing for equal values', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'legacy', { phone: { phone: '+41791234567', isVerified: true } });
    const from = await lastSequence(emulator);
    const same = await call(emulator, 'PUT', '/v2/users/human/legacy', {
      profile: { givenName: 'Ada', familyName: 'Lovelace' },
      email: { email: 'legacy@example.com', isVerified: true },
      phone: { phone: '' },
    });
    expect(same.status).toBe(200);
    expect(same.body.details).toMatchObject({ resourceOwner: emulator.orgId, sequence: String(from) });
    expect(await eventsSince(emulator, 'legacy', from)).toEqual([]);
    const changed = await call(emulator, 'PUT', '/v2/users/human/legacy', {
      profile: { givenName: 'Ada', familyName: 'Byron', nickName: '' },
      password: { hashedPassword: { hash: newHash } },
    });
    expect(changed.status).toBe(200);
    expect((await eventsSince(emulator, 'legacy', from)).map(([type]) => type)).toEqual(['user.human.profile.changed', 'user.human.password.changed']);
    expect(await login(emulator, 'legacy', 'Changed2?')).toBe(201);
  });
});
