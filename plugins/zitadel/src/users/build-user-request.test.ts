import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { buildAddHumanUser, buildCreateUser } from './build-user-request.js';

describe('v2 user bodies', () => {
  const record = makeUser(1, {
    phone: { phone: '+41791234567', isPhoneVerified: true },
    idps: [{ configId: 'idp-google', externalUserId: '1234', displayName: 'ada@gmail.com' }],
  }, { passwordResetRequired: true });

  it('AddHumanUser carries profile, metadata, IdP links and the hash with a forced change', () => {
    expect(buildAddHumanUser(record, 'org-1')).toEqual({
      userId: 'auth0|u00001',
      username: 'user1@example.com',
      organization: { orgId: 'org-1' },
      profile: { givenName: 'Ada', familyName: 'Lovelace 1', displayName: 'Ada Lovelace 1', preferredLanguage: 'en' },
      email: { email: 'user1@example.com', isVerified: true },
      phone: { phone: '+41791234567', isVerified: true },
      metadata: record.metadata,
      hashedPassword: { hash: record.user.hashedPassword!.value, changeRequired: true },
      idpLinks: [{ idpId: 'idp-google', userId: '1234', userName: 'ada@gmail.com' }],
    });
  });
  it('names the e-mail verification either way and never sends phone.isVerified false (bool.const = true)', () => {
    const unverified = makeUser(3, { email: { email: 'u3@example.com', isEmailVerified: false }, phone: { phone: '+41791234567', isPhoneVerified: false } });
    // silent (default): no code for the e-mail, a returned (unsent) code for the phone.
    expect(buildAddHumanUser(unverified, 'org-1')).toMatchObject({ email: { email: 'u3@example.com', isVerified: false }, phone: { phone: '+41791234567', returnCode: {} } });
    expect(buildAddHumanUser(unverified, 'org-1').phone).not.toHaveProperty('isVerified');
    // zitadel: nothing named, so ZITADEL sends its verification e-mail and SMS.
    const zitadel = buildAddHumanUser(unverified, 'org-1', 'zitadel');
    expect(zitadel.email).toEqual({ email: 'u3@example.com' });
    expect(zitadel.phone).toEqual({ phone: '+41791234567' });
  });

  it('CreateUser nests the human part and keeps metadata at the top', () => {
    const body = buildCreateUser(makeUser(2, { hashedPassword: undefined }), 'org-1');
    expect(body.organizationId).toBe('org-1');
    expect(body.human.hashedPassword).toBeUndefined();
    expect(body.human.profile.givenName).toBe('Ada');
    expect(body.metadata).toHaveLength(1);
  });
});
