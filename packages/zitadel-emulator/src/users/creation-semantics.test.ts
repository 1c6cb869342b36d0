// What the two creation paths do to a user's state, codes and notifications, against ZITADEL's
// commands: Commands.ImportHuman/createHuman + Human.IsInitialState (import) and
// Commands.AddUserHuman with allowInitMail=false (v2), through the emulator's HTTP API.
import { hashPassword } from '@idflow/password-hashes';
import type { ImportHumanUser } from '@idflow/zitadel-model';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

let hash: string;
beforeAll(async () => {
  hash = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
});

async function eventTypes(emulator: RunningEmulator, userId: string): Promise<string[]> {
  const answer = await call(emulator, 'POST', '/admin/v1/events/_search', { aggregateId: userId, asc: true });
  return answer.body.events.map((event: { type: { type: string } }) => event.type.type);
}

/** Imports `users` into the emulator's ready org. */
function importUsers(emulator: RunningEmulator, users: Parameters<typeof importRequest>[1]) {
  return call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
}

const getUser = async (emulator: RunningEmulator, userId: string) => (await call(emulator, 'GET', `/v2/users/${userId}`)).body.user;

describe('import: Human.IsInitialState (internal/domain/human.go) and createHuman (internal/command/user_human.go)', () => {
  const verified = (email: string) => ({ email, isEmailVerified: true });
  // [case, user overrides, expected state, e-mail verified afterwards, init e-mails, verification e-mails]
  const cases: [string, () => Partial<ImportHumanUser>, string, boolean, number, number][] = [
    ['hash + verified e-mail', () => ({ hashedPassword: { value: hash }, email: verified('a@example.com') }), 'USER_STATE_ACTIVE', true, 0, 0],
    ['hash + unverified e-mail', () => ({ hashedPassword: { value: hash }, email: { email: 'a@example.com' } }), 'USER_STATE_INITIAL', false, 1, 0],
    ['no password + verified e-mail (the flag is dropped)', () => ({ email: verified('a@example.com') }), 'USER_STATE_INITIAL', false, 1, 0],
    ['plain password + verified e-mail', () => ({ password: 'Password1!', email: verified('a@example.com') }), 'USER_STATE_ACTIVE', true, 0, 0],
    ['passwordless registration + verified e-mail', () => ({ requestPasswordlessRegistration: true, email: verified('a@example.com') }) as Partial<ImportHumanUser>, 'USER_STATE_ACTIVE', true, 0, 0],
    ['passwordless registration + unverified e-mail', () => ({ requestPasswordlessRegistration: true, email: { email: 'a@example.com' } }) as Partial<ImportHumanUser>, 'USER_STATE_INITIAL', false, 1, 0],
  ];

  it.each(cases)('%s', async (_, overrides, state, emailVerified, initEmails, verificationEmails) => {
    const emulator = await useEmulator();
    const answer = await importUsers(emulator, [{ userId: 'u', user: humanUser('u', overrides()) }]);
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['u']);
    const user = await getUser(emulator, 'u');
    expect(user.state).toBe(state);
    expect(Boolean(user.human.email.isVerified)).toBe(emailVerified);
    expect(emulator.stats().notifications).toMatchObject({ initEmails, verificationEmails });
    const types = await eventTypes(emulator, 'u');
    expect(types.includes('user.human.initialization.code.added')).toBe(state === 'USER_STATE_INITIAL');
    expect(types.includes('user.human.email.verified')).toBe(emailVerified);
  });

  it('makes a user with an IdP link ACTIVE even without password and with an unverified e-mail', async () => {
    const emulator = await useEmulator({ idps: [{ id: 'google', name: 'Google' }] });
    const user = humanUser('social', { email: { email: 'social@example.com' }, idps: [{ configId: 'google', externalUserId: '1234' }] });
    await importUsers(emulator, [{ userId: 'social', user }]);
    expect((await getUser(emulator, 'social')).state).toBe('USER_STATE_ACTIVE');
    // Not INITIAL, and the e-mail is unverified: createHuman adds an e-mail code (a verification e-mail).
    expect(emulator.stats().notifications).toEqual({ initEmails: 0, verificationEmails: 1, verificationSms: 0 });
    expect(await eventTypes(emulator, 'social')).toEqual(['user.human.added', 'user.human.externalidp.added', 'user.human.email.code.added']);
  });

  it('locks or deactivates after the init code: the requested state wins over INITIAL', async () => {
    const emulator = await useEmulator();
    await importUsers(emulator, [
        { userId: 'l', user: humanUser('l'), state: 'USER_STATE_LOCKED' },
        { userId: 'd', user: humanUser('d'), state: 'USER_STATE_INACTIVE' },
    ]);
    expect((await getUser(emulator, 'l')).state).toBe('USER_STATE_LOCKED');
    expect(await eventTypes(emulator, 'd')).toEqual(['user.human.added', 'user.human.initialization.code.added', 'user.deactivated']);
    expect(emulator.stats().notifications.initEmails).toBe(2);
  });

  it('sends a phone code for an unverified phone and none for a verified one', async () => {
    const emulator = await useEmulator();
    await importUsers(emulator, [
        { userId: 'p1', user: humanUser('p1', { hashedPassword: { value: hash }, phone: { phone: '+41446681800' } }) },
        { userId: 'p2', user: humanUser('p2', { hashedPassword: { value: hash }, phone: { phone: '+41446681800', isPhoneVerified: true } }) },
    ]);
    expect(emulator.stats().notifications).toEqual({ initEmails: 0, verificationEmails: 0, verificationSms: 1 });
    expect((await getUser(emulator, 'p2')).human.phone).toEqual({ phone: '+41446681800', isVerified: true });
  });

  it('ignores passwordChangeRequired when a hash is given, honours it for a plain password (createAddHumanEvent)', async () => {
    const emulator = await useEmulator();
    await importUsers(emulator, [
        { userId: 'h', user: humanUser('h', { hashedPassword: { value: hash }, passwordChangeRequired: true }) },
        { userId: 'p', user: humanUser('p', { password: 'Password1!', passwordChangeRequired: true }) },
    ]);
    const payloadOf = async (userId: string) =>
      (await call(emulator, 'POST', '/admin/v1/events/_search', { aggregateId: userId, eventTypes: ['user.human.added'] })).body.events[0].payload;
    expect((await payloadOf('h')).changeRequired).toBeUndefined();
    expect((await payloadOf('h')).encodedHash).toBe(hash);
    expect((await payloadOf('p')).changeRequired).toBe(true);
    expect((await getUser(emulator, 'h')).human.passwordChangeRequired).toBeUndefined();
    expect((await getUser(emulator, 'p')).human.passwordChangeRequired).toBe(true);
  });
});

describe('v2 AddHumanUser: AddUserHuman with allowInitMail=false (internal/api/grpc/user/v2/user.go)', () => {
  function addHuman(emulator: RunningEmulator, userId: string, email: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return call(emulator, 'POST', '/v2/users/human', {
      userId,
      organization: { orgId: emulator.orgId },
      profile: { givenName: 'Given', familyName: 'Family' },
      email: { email: `${userId}@example.com`, ...email },
      ...extra,
    });
  }

  // [verification sent, state, verified, verification e-mails, e-mail code in the answer] — addUserRequestEmailToCommand.
  it.each([
    ['no verification (send a code)', {}, false, 1, false],
    ['sendCode', { sendCode: { urlTemplate: 'https://login.example.com/verify?code={{.Code}}' } }, false, 1, false],
    ['returnCode', { returnCode: {} }, false, 0, true],
    ['isVerified: true', { isVerified: true }, true, 0, false],
    ['isVerified: false (no code at all)', { isVerified: false }, false, 0, false],
  ] as const)('%s: ACTIVE, no init code', async (_, email, verified, verificationEmails, returned) => {
    const emulator = await useEmulator();
    const answer = await addHuman(emulator, 'v', email, { hashedPassword: { hash } });
    expect(answer.status).toBe(200);
    expect(Boolean(answer.body.emailCode)).toBe(returned);
    const user = await getUser(emulator, 'v');
    expect(user.state).toBe('USER_STATE_ACTIVE');
    expect(Boolean(user.human.email.isVerified)).toBe(verified);
    expect(emulator.stats().notifications).toEqual({ initEmails: 0, verificationEmails, verificationSms: 0 });
    expect(await eventTypes(emulator, 'v')).not.toContain('user.human.initialization.code.added');
  });

  it('leaves a user without any password ACTIVE too (no init code on v2)', async () => {
    const emulator = await useEmulator();
    expect((await addHuman(emulator, 'nopw', { isVerified: true })).status).toBe(200);
    expect((await getUser(emulator, 'nopw')).state).toBe('USER_STATE_ACTIVE');
    expect(emulator.stats().notifications.initEmails).toBe(0);
  });

  it('refuses the whole user with 400 for phone.isVerified false: SetHumanPhone.is_verified is bool.const = true', async () => {
    const emulator = await useEmulator();
    const answer = await addHuman(emulator, 'ph', { isVerified: true }, { phone: { phone: '+41446681800', isVerified: false } });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(3);
    expect(answer.body.message).toBe(
      'invalid AddHumanUserRequest.Phone: embedded message failed validation | caused by: invalid SetHumanPhone.IsVerified: value must equal true',
    );
    expect(emulator.stats().users).toBe(0);
    // Without isVerified the phone gets a code (an SMS), with isVerified: true it is verified.
    expect((await addHuman(emulator, 'ph1', { isVerified: true }, { phone: { phone: '+41446681800' } })).status).toBe(200);
    expect((await addHuman(emulator, 'ph2', { isVerified: true }, { phone: { phone: '+41446681800', isVerified: true } })).status).toBe(200);
    expect(emulator.stats().notifications.verificationSms).toBe(1);
    expect((await getUser(emulator, 'ph2')).human.phone).toEqual({ phone: '+41446681800', isVerified: true });
  });

  it('honours hashedPassword.changeRequired (AddUserRequestToAddHuman)', async () => {
    const emulator = await useEmulator();
    await addHuman(emulator, 'cr', { isVerified: true }, { hashedPassword: { hash, changeRequired: true } });
    expect((await getUser(emulator, 'cr')).human.passwordChangeRequired).toBe(true);
  });

  it('refuses two members of the verification oneof, as protojson does', async () => {
    const emulator = await useEmulator();
    const answer = await addHuman(emulator, 'two', { isVerified: true, returnCode: {} });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('oneof zitadel.user.v2.SetHumanEmail.verification is already set');
  });
});
