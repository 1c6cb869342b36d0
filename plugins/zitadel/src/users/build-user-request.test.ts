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
  it('CreateUser nests the human part and keeps metadata at the top', () => {
    const body = buildCreateUser(makeUser(2, { hashedPassword: undefined }), 'org-1');
    expect(body.organizationId).toBe('org-1');
    expect(body.human.hashedPassword).toBeUndefined();
    expect(body.human.profile.givenName).toBe('Ada');
    expect(body.metadata).toHaveLength(1);
  });
});
