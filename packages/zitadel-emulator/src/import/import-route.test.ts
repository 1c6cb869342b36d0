import { hashPassword } from '@idflow/password-hashes';
import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('POST /admin/v1/import', () => {
  it('imports users into the ready org and lists their ids, metadata and states', async () => {
    const emulator = await useEmulator();
    const request = importRequest(
      emulator.orgId,
      [
        { userId: 'auth0|a', user: humanUser('alice') },
        { userId: 'auth0|b', user: humanUser('bob'), state: 'USER_STATE_LOCKED' },
      ],
      { userMetadata: [{ id: 'auth0|a', key: 'plan', value: base64('{"tier":"pro"}') }] },
    );
    const answer = await call(emulator, 'POST', '/admin/v1/import', request);
    expect(answer.status).toBe(200);
    expect(answer.body.success.orgs).toEqual([
      { orgId: emulator.orgId, humanUserIds: ['auth0|a', 'auth0|b'], userMetadata: [{ userId: 'auth0|a', key: 'plan' }] },
    ]);
    // The org existed, so the server reports it and goes on (AddOrgWithID: ORG-lapo2n).
    expect(answer.body.errors).toEqual([
      { type: 'org', id: emulator.orgId, message: 'ID=ORG-lapo2n Message=Errors.Org.AlreadyExisting' },
    ]);
    const stats = emulator.stats();
    expect(stats.users).toBe(2);
    // Neither has a password: alice is INITIAL (Human.IsInitialState); bob's LOCKED comes after his init code.
    expect(stats.usersByState).toEqual({ USER_STATE_INITIAL: 1, USER_STATE_LOCKED: 1 });
    expect(stats.notifications).toEqual({ initEmails: 2, verificationEmails: 0, verificationSms: 0 });
    expect(stats.metadata).toBe(1);
    const bob = await call(emulator, 'GET', '/v2/users/auth0%7Cb');
    expect(bob.body.user.state).toBe('USER_STATE_LOCKED');
  });

  it('creates a named org that does not exist yet, without an org error', async () => {
    const emulator = await useEmulator();
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest('org-new', [{ userId: 'u1', user: humanUser('carol') }], { orgName: 'New Org' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.success.orgs[0]).toEqual({ orgId: 'org-new', humanUserIds: ['u1'] });
    expect(emulator.stats().orgs).toBe(2);
  });

  it('skips an unknown org that cannot be created (no name) and reports it', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest('nowhere', [{ userId: 'u1', user: humanUser('dan') }]));
    expect(answer.status).toBe(200);
    // addOrgWithID: Org.IsValid needs a name → COMM-deLSk; the org is skipped.
    expect(answer.body.errors).toEqual([{ type: 'org', id: 'nowhere', message: 'ID=COMM-deLSk Message=Errors.Org.Invalid' }]);
    expect(answer.body.success).toEqual({});
    expect(emulator.stats().users).toBe(0);
  });

  it('accepts snake_case keys and ignores unknown keys', async () => {
    const emulator = await useEmulator();
    const body = {
      data_orgs: {
        orgs: [
          {
            org_id: emulator.orgId,
            human_users: [
              {
                user_id: 'snake',
                somethingNew: true,
                user: {
                  user_name: 'snake@example.com',
                  profile: { first_name: 'Sna', last_name: 'Ke', preferred_language: 'de' },
                  email: { email: 'snake@example.com', is_email_verified: true },
                  future_field: { x: 1 },
                },
              },
            ],
          },
        ],
      },
      timeout: '30m',
    };
    const answer = await call(emulator, 'POST', '/admin/v1/import', body);
    expect(answer.status).toBe(200);
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['snake']);
    const user = await call(emulator, 'GET', '/v2/users/snake');
    expect(user.body.user.human.profile).toMatchObject({ givenName: 'Sna', familyName: 'Ke', preferredLanguage: 'de' });
    // No password: INITIAL, and the verified flag is dropped (createHuman adds no e-mail verified event).
    expect(user.body.user.state).toBe('USER_STATE_INITIAL');
    expect(user.body.user.human.email).toEqual({ email: 'snake@example.com' });
  });

  it('rejects the whole request with 400 code 3 when one user is invalid, and writes nothing', async () => {
    const emulator = await useEmulator();
    const users = [
      { userId: 'ok1', user: humanUser('ok1') },
      { userId: 'bad', user: humanUser('bad', { profile: { firstName: 'B', lastName: 'Ad', preferredLanguage: 'x'.repeat(11) } }) },
    ];
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(3);
    expect(answer.body.message).toBe(
      'invalid ImportDataRequest.DataOrgs: embedded message failed validation | caused by: ' +
        'invalid ImportDataOrg.Orgs[0]: embedded message failed validation | caused by: ' +
        'invalid DataOrg.HumanUsers[1]: embedded message failed validation | caused by: ' +
        'invalid DataHumanUser.User: embedded message failed validation | caused by: ' +
        'invalid ImportHumanUserRequest.Profile: embedded message failed validation | caused by: ' +
        'invalid ImportHumanUserRequest_Profile.PreferredLanguage: value length must be at most 10 runes',
    );
    expect(emulator.stats().users).toBe(0);
    expect(emulator.stats().events).toBe(1); // only the ready org's creation
  });

  it.each([
    ['missing userName', humanUser('x', { userName: '' }), 'ImportHumanUserRequest.UserName: value length must be between 1 and 200 runes, inclusive'],
    ['missing profile', { ...humanUser('x'), profile: undefined }, 'ImportHumanUserRequest.Profile: value is required'],
    ['missing email', { ...humanUser('x'), email: undefined }, 'ImportHumanUserRequest.Email: value is required'],
    ['phone without +', humanUser('x', { phone: { phone: '0123' } }), 'ImportHumanUserRequest_Phone.Phone: value does not have prefix "+"'],
    ['long first name', humanUser('x', { profile: { firstName: 'é'.repeat(201), lastName: 'L' } }), 'FirstName: value length must be between 1 and 200 runes'],
    ['idp without config', humanUser('x', { idps: [{ configId: '', externalUserId: 'e' }] }), 'ImportHumanUserRequest_IDP.ConfigId'],
  ])('validates %s', async (_, user, expected) => {
    const emulator = await useEmulator();
    // biome-ignore lint/suspicious/noExplicitAny: deliberately broken users
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, [{ userId: 'v', user: user as any }]));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(3);
    expect(answer.body.message).toContain(expected);
    expect(emulator.stats().users).toBe(0);
  });

  it('rejects a bad gender enum, a wrongly typed field and bad metadata with 400 code 3', async () => {
    const emulator = await useEmulator();
    const gender = importRequest(emulator.orgId, [
      // biome-ignore lint/suspicious/noExplicitAny: deliberately broken user
      { userId: 'g', user: humanUser('g', { profile: { firstName: 'G', lastName: 'H', gender: 'GENDER_OTHER' as any } }) },
    ]);
    const typed = importRequest(emulator.orgId, [{ userId: 't', user: { ...humanUser('t'), passwordChangeRequired: 'yes' as unknown as boolean } }]);
    const metadata = importRequest(emulator.orgId, [{ userId: 'm', user: humanUser('m') }], {
      userMetadata: [{ id: 'm', key: 'k', value: '' }],
    });
    for (const [body, text] of [
      [gender, 'invalid value for enum field'],
      [typed, 'invalid value for bool field dataOrgs.orgs[0].humanUsers[0].user.passwordChangeRequired'],
      [metadata, 'SetUserMetadataRequest.Value: value length must be between 1 and 500000 bytes'],
    ] as const) {
      const answer = await call(emulator, 'POST', '/admin/v1/import', body);
      expect(answer.status, text).toBe(400);
      expect(answer.body.code).toBe(3);
      expect(answer.body.message).toContain(text);
    }
    expect(emulator.stats().users).toBe(0);
  });

  it('answers a timeout Go cannot parse with 500 code 2 and Go\'s message, after the proto rules (ImportData: time.ParseDuration)', async () => {
    const emulator = await useEmulator();
    for (const [timeout, message] of [
      ['', 'time: invalid duration ""'],
      ['5 minutes', 'time: unknown unit " minutes" in duration "5 minutes"'],
      ['soon', 'time: invalid duration "soon"'],
      ['5', 'time: missing unit in duration "5"'],
      ['3d', 'time: unknown unit "d" in duration "3d"'],
    ]) {
      const answer = await call(emulator, 'POST', '/admin/v1/import', { ...importRequest(emulator.orgId, [{ userId: 't', user: humanUser('t') }]), timeout });
      expect(answer.status, timeout).toBe(500);
      expect(answer.body).toEqual({ code: 2, message });
    }
    // The proto rules come first: an invalid user is still a 400 with a bad timeout.
    const invalid = importRequest(emulator.orgId, [{ userId: 'x', user: humanUser('x', { userName: '' }) }]);
    expect((await call(emulator, 'POST', '/admin/v1/import', { ...invalid, timeout: 'soon' })).status).toBe(400);
    expect(emulator.stats().users).toBe(0);
  });

  it('reports AlreadyExisting for a taken id and AlreadyExists for a taken username, per user, and goes on', async () => {
    const emulator = await useEmulator();
    await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, [{ userId: 'first', user: humanUser('erin') }]));
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [
        { userId: 'first', user: humanUser('other') },
        { userId: 'second', user: humanUser('ERIN') }, // usernames are unique case-insensitively
        { userId: 'third', user: humanUser('frank') },
      ]),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toEqual([
      { type: 'org', id: emulator.orgId, message: 'ID=ORG-lapo2n Message=Errors.Org.AlreadyExisting' },
      // Commands.ImportHuman: an existing id → COMMAND-ziuna (COMMAND-k2unb is the v1 AddHuman's).
      { type: 'human_user', id: 'first', message: 'ID=COMMAND-ziuna Message=Errors.User.AlreadyExisting' },
      { type: 'human_user', id: 'second', message: 'ID=V3-DKcYh Message=Errors.User.AlreadyExists' },
    ]);
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['third']);
    expect(emulator.stats().users).toBe(2);
  });

  it('refuses hashes as Hasher.ValidateEncodedHash does: a disabled or unknown format CRYPT-r8Qm2, out of bounds CRYPT-5uV9n', async () => {
    const emulator = await useEmulator();
    const argon2 = await hashPassword('argon2', 'Password1!', { m: 8192, t: 1 });
    const weakBcrypt = await hashPassword('bcrypt', 'Password1!', { cost: 4 });
    const goodBcrypt = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [
        { userId: 'argon', user: humanUser('argon', { hashedPassword: { value: argon2 } }) },
        { userId: 'weak', user: humanUser('weak', { hashedPassword: { value: weakBcrypt } }) },
        { userId: 'unknown', user: humanUser('unknown', { hashedPassword: { value: '{SSHA}abcdef' } }) },
        { userId: 'good', user: humanUser('good', { hashedPassword: { value: goodBcrypt } }) },
      ]),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors.slice(1)).toEqual([
      // The bcrypt hasher's parse error ("not a bcrypt version") makes every other format CRYPT-r8Qm2.
      { type: 'human_user', id: 'argon', message: 'ID=CRYPT-r8Qm2 Message=Errors.User.Password.Invalid' },
      { type: 'human_user', id: 'weak', message: 'ID=CRYPT-5uV9n Message=Errors.User.Password.Invalid' },
      { type: 'human_user', id: 'unknown', message: 'ID=CRYPT-r8Qm2 Message=Errors.User.Password.Invalid' },
    ]);
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['good']);
  });

  it('answers CRYPT-2xK7d Errors.Hash.NotSupported when the hasher and verifiers skip silently (an argon2id hasher)', async () => {
    const emulator = await useEmulator({ hasher: 'argon2id', verifiers: ['scrypt'] });
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [{ userId: 'x', user: humanUser('x', { hashedPassword: { value: '{SSHA}abcdef' } }) }]),
    );
    expect(answer.body.errors[1]).toEqual({ type: 'human_user', id: 'x', message: 'ID=CRYPT-2xK7d Message=Errors.Hash.NotSupported' });
  });

  it('accepts out-of-bounds costs when cost bounds are off (older servers)', async () => {
    const emulator = await useEmulator({ costBounds: false });
    const weakBcrypt = await hashPassword('bcrypt', 'Password1!', { cost: 4 });
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [{ userId: 'weak', user: humanUser('weak', { hashedPassword: { value: weakBcrypt } }) }]),
    );
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['weak']);
  });

  it('reports metadata for an unknown user as a user_metadata error', async () => {
    const emulator = await useEmulator();
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [], { userMetadata: [{ id: 'ghost', key: 'plan', value: base64('x') }] }),
    );
    expect(answer.status).toBe(200);
    // SetUserMetadata → checkUserExists: COMMAND-uXHNj.
    expect(answer.body.errors[1]).toEqual({ type: 'user_metadata', id: 'ghost_plan', message: 'ID=COMMAND-uXHNj Message=Errors.User.NotFound' });
  });

  it('honours the timeout: users written before it stay, the answer is 500 code 2 without lists', async () => {
    // 100 ms per user against a 300 ms timeout: a few users fit, 20 cannot, even on a busy machine.
    const emulator = await useEmulator({ perUserWriteCostMs: 100 });
    const users = Array.from({ length: 20 }, (_, i) => ({ userId: `t${i}`, user: humanUser(`t${i}`) }));
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users, { timeout: '300ms' }));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ code: 2, message: 'context deadline exceeded' });
    const written = emulator.stats().users;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(20);
    // Exactly the first `written` users are there: a user is never half-written.
    const listed = await call(emulator, 'POST', '/v2/users', { query: { limit: 100 } });
    const listedIds = listed.body.result.map((user: { userId: string }) => user.userId);
    expect(listedIds.sort()).toEqual(users.slice(0, written).map((u) => u.userId).sort());
    expect(emulator.stats().imports.timedOut).toBe(1);
  });

  it('refuses a body over the size limit with 413, writing nothing', async () => {
    const emulator = await useEmulator({ maxBodyBytes: 2000 });
    const users = Array.from({ length: 20 }, (_, i) => ({ userId: `big${i}`, user: humanUser(`big${i}`) }));
    const answer = await call(emulator, 'POST', '/admin/v1/import', importRequest(emulator.orgId, users));
    expect(answer.status).toBe(413);
    expect(answer.body.message).toBe('request body larger than 2000 bytes');
    expect(emulator.stats().users).toBe(0);
  });

  it('answers 401 without or with a bad token and 403 without IAM_OWNER', async () => {
    const emulator = await useEmulator();
    const body = importRequest(emulator.orgId, [{ userId: 'x', user: humanUser('x') }]);
    const none = await call(emulator, 'POST', '/admin/v1/import', body, null);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe(16);
    const bad = await call(emulator, 'POST', '/admin/v1/import', body, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(JSON.stringify(bad.body)).not.toContain('not-a-token');
    const writer = await emulator.createServiceUser({ role: 'ORG_USER_WRITER' });
    const denied = await call(emulator, 'POST', '/admin/v1/import', body, writer.pat);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe(7);
    expect(emulator.stats().users).toBe(0);
  });
});
