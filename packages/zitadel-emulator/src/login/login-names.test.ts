// Issue 17 §10: how a migrated user is found when it logs in. The session API matches login names
// only (Queries.GetUserByLoginName, internal/query/user.go + user_by_login_name.sql: lower-cased; the
// user name under the default DomainPolicy.UserLoginMustBeDomain false); the login UI falls back to the
// e-mail unless LoginPolicy.DisableLoginWithEmail (internal/domain/policy_login.go; Login V2's
// searchUsers in apps/login/src/lib/zitadel.ts), which findUserLikeHostedLogin mirrors.
import { hashPassword } from '@idflow/password-hashes';
import { beforeAll, describe, expect, it } from 'vitest';
import { addV2User, call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { EmulatorOptions } from '../options.js';
import type { RunningEmulator } from '../server.js';
import { findUserLikeHostedLogin } from './hosted-login-lookup.js';

const PASSWORD = 'Password1!';
let hash: string;

beforeAll(async () => {
  hash = await hashPassword('bcrypt', PASSWORD, { cost: 10 });
});

/** ada (user name "Ada.L", verified e-mail), bob (user name = its e-mail), carol (unverified e-mail, via v2). */
async function emulatorWithUsers(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await useEmulator(options);
  const users = [
    { userId: 'ada', user: humanUser('ada', { userName: 'Ada.L', email: { email: 'Ada@Example.com', isEmailVerified: true }, hashedPassword: { value: hash } }) },
    { userId: 'bob', user: humanUser('bob', { userName: 'bob@example.net', email: { email: 'bob@example.net', isEmailVerified: true }, hashedPassword: { value: hash } }) },
  ];
  const imported = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
  expect(imported.body.success.orgs[0].humanUserIds).toEqual(['ada', 'bob']);
  await addV2User(emulator, 'carol', { username: 'carol', email: { email: 'Carol.Longname@example.org', returnCode: {} }, hashedPassword: { hash } });
  return emulator;
}

function sessionByLoginName(emulator: RunningEmulator, loginName: string) {
  return call(emulator, 'POST', '/v2/sessions', { checks: { user: { loginName }, password: { password: PASSWORD } } });
}

describe('session API checks.user.loginName (GetUserByLoginName: login names only)', () => {
  it('logs a user in by its user name, ignoring case', async () => {
    const emulator = await emulatorWithUsers();
    for (const loginName of ['Ada.L', 'ada.l', 'ADA.L']) expect((await sessionByLoginName(emulator, loginName)).status, loginName).toBe(201);
    // A user named by its e-mail logs in with it: that is its login name.
    expect((await sessionByLoginName(emulator, 'Bob@Example.NET')).status).toBe(201);
  });

  it('does not look the e-mail up, nor username@orgdomain under the default domain policy (QUERY-Dfbg2)', async () => {
    const emulator = await emulatorWithUsers();
    for (const loginName of ['Ada@Example.com', 'ada.l@example.com', 'Carol.Longname@example.org']) {
      const answer = await sessionByLoginName(emulator, loginName);
      expect(answer.status, loginName).toBe(404);
      expect(answer.body.details[0].id).toBe('QUERY-Dfbg2');
    }
    expect(emulator.stats().sessions).toBe(0);
  });
});

describe('the login UI lookup (Login V2 searchUsers) over ListUsers and GET /v2/settings/login', () => {
  it('answers the default login policy: e-mail and phone login allowed', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'GET', '/v2/settings/login');
    expect(answer.status).toBe(200);
    expect(answer.body.settings).toMatchObject({ disableLoginWithEmail: false, disableLoginWithPhone: false });
  });

  it('finds a user by its user name first, else by its e-mail ignoring case, verified or not, and the session logs it in', async () => {
    const emulator = await emulatorWithUsers();
    const cases: [string, string][] = [
      ['ada.L', 'ada'],
      ['ADA@example.COM', 'ada'],
      ['bob@example.net', 'bob'],
      ['carol.longname@EXAMPLE.org', 'carol'],
    ];
    for (const [input, userId] of cases) {
      expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, input), input).toEqual({ found: true, userId });
      const session = await call(emulator, 'POST', '/v2/sessions', { checks: { user: { userId }, password: { password: PASSWORD } } });
      expect(session.status, input).toBe(201);
    }
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'nobody@example.com')).toEqual({ found: false, reason: 'not-found' });
  });

  it('refuses an e-mail two users share (several users), while their user names still work', async () => {
    const emulator = await emulatorWithUsers();
    await addV2User(emulator, 'ada2', { username: 'ada-two', email: { email: 'ada@example.com', returnCode: {} } });
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'Ada@Example.com')).toEqual({ found: false, reason: 'several-users' });
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'ada-two')).toEqual({ found: true, userId: 'ada2' });
  });

  it('with DisableLoginWithEmail, an e-mail of at most 20 characters finds nobody; searchUsers still matches longer ones', async () => {
    const emulator = await emulatorWithUsers({ loginPolicy: { disableLoginWithEmail: true } });
    expect((await call(emulator, 'GET', '/v2/settings/login')).body.settings.disableLoginWithEmail).toBe(true);
    expect('Ada@Example.com'.length).toBeLessThanOrEqual(20);
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'Ada@Example.com')).toEqual({ found: false, reason: 'not-found' });
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'Ada.L')).toEqual({ found: true, userId: 'ada' });
    // Login V2's branches: email is only left out for inputs of at most 20 characters unless phone login is off too.
    expect(await findUserLikeHostedLogin(emulator.url, emulator.pat, 'Carol.Longname@example.org')).toEqual({ found: true, userId: 'carol' });
    const both = await emulatorWithUsers({ loginPolicy: { disableLoginWithEmail: true, disableLoginWithPhone: true } });
    expect(await findUserLikeHostedLogin(both.url, both.pat, 'Carol.Longname@example.org')).toEqual({ found: false, reason: 'not-found' });
  });
});
