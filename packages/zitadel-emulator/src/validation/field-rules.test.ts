// The field rules ZITADEL applies and those it does not, each against the source it mirrors.
import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

function addHuman(emulator: RunningEmulator, userId: string, fields: Record<string, unknown>) {
  return call(emulator, 'POST', '/v2/users/human', {
    userId,
    organization: { orgId: emulator.orgId },
    profile: { givenName: 'G', familyName: 'F' },
    email: { email: `${userId}@example.com`, isVerified: true },
    ...fields,
  });
}

describe('v2 e-mail: PGV string.email (mail.ParseAddress, local part ≤ 64 bytes, ASCII host labels ≤ 63)', () => {
  it.each([
    [`${'a'.repeat(65)}@example.com`, 'email address local phrase cannot exceed 64 characters'],
    [`a@${'b'.repeat(64)}.com`, 'hostname part must be non-empty and cannot exceed 63 characters'],
    ['a@bücher.de', 'hostname parts can only contain alphanumeric characters or hyphens, got "ü"'],
    ['a@-example.com', 'hostname parts cannot begin with hyphens'],
    ['a@example..com', "mail: missing '@' or angle-addr"],
    ['Jo Do', 'mail: no angle-addr'],
    ['plainaddress', "mail: missing '@' or angle-addr"],
  ])('%s → %s', async (email, cause) => {
    const emulator = await useEmulator();
    const answer = await addHuman(emulator, 'e', { email: { email, isVerified: true } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      `invalid AddHumanUserRequest.Email: embedded message failed validation | caused by: invalid SetHumanEmail.Email: value must be a valid email address | caused by: ${cause}`,
    );
  });

  it('accepts a 64-byte local part, a 63-byte label and a UTF-8 local part', async () => {
    const emulator = await useEmulator();
    for (const [index, email] of [`${'a'.repeat(64)}@example.com`, `a@${'b'.repeat(63)}.com`, 'jürgen@example.com'].entries()) {
      expect((await addHuman(emulator, `ok${index}`, { email: { email, isVerified: true } })).status, email).toBe(200);
    }
  });

  it('refuses a display name at the command (EmailAddress.Validate: EMAIL-599GV), after PGV let it pass', async () => {
    const emulator = await useEmulator();
    const answer = await addHuman(emulator, 'n', { email: { email: 'Jo <jo@example.com>', isVerified: true } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('Email is invalid (EMAIL-599GV)');
  });

  it('import has no PGV e-mail rule, only EmailAddress.Validate per user (EMAIL-599BI)', async () => {
    const emulator = await useEmulator();
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [
        { userId: 'long', user: humanUser('long', { email: { email: `${'a'.repeat(70)}@example.com` } }) },
        { userId: 'bad', user: humanUser('bad', { email: { email: 'not-an-email' } }) },
      ]),
    );
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['long']);
    expect(answer.body.errors[1]).toEqual({ type: 'human_user', id: 'bad', message: 'ID=EMAIL-599BI Message=Errors.User.Email.Invalid' });
  });
});

describe('rules ZITADEL does not apply', () => {
  it('no BCP 47 check on preferredLanguage: language.Parse errors are only logged (ImportHumanUserRequestToDomain, AddUserRequestToAddHuman)', async () => {
    const emulator = await useEmulator();
    const imported = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [{ userId: 'lang', user: humanUser('lang', { profile: { firstName: 'L', lastName: 'G', preferredLanguage: 'xx_Bad!' } }) }]),
    );
    expect(imported.body.success.orgs[0].humanUserIds).toEqual(['lang']);
    const v2 = await addHuman(emulator, 'lang2', { profile: { givenName: 'G', familyName: 'F', preferredLanguage: 'not-a-tag' } });
    expect(v2.status).toBe(200);
  });

  it('no + on v2 phones: PhoneNumber.Normalize parses with region CH and stores E.164', async () => {
    const emulator = await useEmulator();
    expect((await addHuman(emulator, 'ch', { phone: { phone: '044 668 18 00', isVerified: true } })).status).toBe(200);
    expect((await call(emulator, 'GET', '/v2/users/ch')).body.user.human.phone.phone).toBe('+41446681800');
    const garbage = await addHuman(emulator, 'bad', { phone: { phone: 'call me', isVerified: true } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.message).toBe('Phone is invalid (PHONE-so0wa)');
  });

  it('the import does require the + (ImportHumanUserRequest.Phone: prefix "+")', async () => {
    const emulator = await useEmulator();
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [{ userId: 'p', user: humanUser('p', { phone: { phone: '0446681800' } }) }]),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('invalid ImportHumanUserRequest_Phone.Phone: value does not have prefix "+"');
  });
});

describe('org names and usernames', () => {
  it('an org name is 1–200 runes (AddOrgRequest.name); a whitespace name cannot create the org (COMM-deLSk)', async () => {
    const emulator = await useEmulator();
    const tooLong = await call(emulator, 'POST', '/admin/v1/import', importRequest('o1', [], { orgName: 'é'.repeat(201) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('invalid AddOrgRequest.Name: value length must be between 1 and 200 runes, inclusive');
    const exact = await call(emulator, 'POST', '/admin/v1/import', importRequest('o2', [], { orgName: 'é'.repeat(200) }));
    expect(exact.body.errors).toBeUndefined();
    const blank = await call(emulator, 'POST', '/admin/v1/import', importRequest('o3', [], { orgName: '   ' }));
    expect(blank.body.errors).toEqual([{ type: 'org', id: 'o3', message: 'ID=COMM-deLSk Message=Errors.Org.Invalid' }]);
  });

  it('a username ending in a domain another org verified is refused (userValidateDomain: COMMAND-SFd21)', async () => {
    const emulator = await useEmulator({ orgs: [{ id: 'acme' }, { id: 'other', verifiedDomains: ['acme.com'] }] });
    const imported = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest('acme', [
        { userId: 'x', user: humanUser('x', { userName: 'x@ACME.com' }) },
        { userId: 'y', user: humanUser('y', { userName: 'y@example.com' }) },
      ]),
    );
    expect(imported.body.errors[1]).toEqual({ type: 'human_user', id: 'x', message: 'ID=COMMAND-SFd21 Message=Errors.User.DomainNotAllowedAsUsername' });
    expect(imported.body.success.orgs[0].humanUserIds).toEqual(['y']);
    const v2 = await call(emulator, 'POST', '/v2/users/human', {
      organization: { orgId: 'acme' },
      username: 'z@acme.com',
      profile: { givenName: 'Z', familyName: 'Z' },
      email: { email: 'z@example.com', isVerified: true },
    });
    expect(v2.status).toBe(400);
    expect(v2.body.message).toBe('Domain is already reserved and cannot be used (COMMAND-SFd21)');
    // In the org that verified it, the domain is fine.
    const own = await call(emulator, 'POST', '/admin/v1/import', importRequest('other', [{ userId: 'w', user: humanUser('w', { userName: 'w@acme.com' }) }]));
    expect(own.body.success.orgs[0].humanUserIds).toEqual(['w']);
  });
});
