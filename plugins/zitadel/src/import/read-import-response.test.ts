import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { UNPROVEN, readImportResponse } from './read-import-response.js';

describe('readImportResponse', () => {
  const users = [1, 2, 3, 4, 5, 6, 7].map((n) => makeUser(n));
  it('maps per-user errors (ZITADEL\'s own ids) and successes to outcomes in batch order', () => {
    const reading = readImportResponse(
      users,
      {
        errors: [
          { type: 'org', id: 'org-1', message: 'ID=ORG-lapo2n Message=Errors.Org.AlreadyExisting' },
          { type: 'human_user', id: users[1].userId, message: 'ID=COMMAND-ziuna Message=Errors.User.AlreadyExisting' },
          { type: 'human_user', id: users[2].userId, message: 'ID=V3-DKcYh Message=Errors.User.AlreadyExists' },
          { type: 'human_user', id: users[3].userId, message: 'ID=CRYPT-2xK7d Message=Errors.Hash.NotSupported' },
          { type: 'human_user', id: users[6].userId, message: 'ID=CRYPT-5uV9n Message=Errors.User.Password.Invalid' },
          { type: 'user_metadata', id: `${users[0].userId}_plan`, message: 'ID=META-1 Message=Errors.Metadata.Invalid' },
        ],
        success: { orgs: [{ orgId: 'org-1', humanUserIds: [users[0].userId, users[4].userId] }] },
      },
      'org-1',
    );
    expect(reading.outcomes).toEqual([
      { status: 'written' },
      { status: 'present' },
      { status: 'rejected', reason: 'userName already taken in ZITADEL', detail: { zitadel: 'ID=V3-DKcYh Message=Errors.User.AlreadyExists' } },
      {
        status: 'rejected',
        reason: expect.stringMatching(/^ZITADEL refused the password hash: no enabled verifier recognises its format/),
        detail: { zitadel: 'ID=CRYPT-2xK7d Message=Errors.Hash.NotSupported' },
      },
      { status: 'written' },
      // In neither list: nothing proves it was written.
      { status: 'retryable', reason: UNPROVEN },
      { status: 'rejected', reason: expect.stringMatching(/its cost is outside the instance's bounds/), detail: expect.anything() },
    ]);
    expect(reading.refusals.map((r) => r?.kind)).toEqual([undefined, 'user-exists', 'username-taken', 'hash-not-supported', undefined, undefined, 'hash-out-of-bounds']);
    expect(reading.metadataFailures).toEqual([{ userId: users[0].userId, key: 'plan', message: 'ID=META-1 Message=Errors.Metadata.Invalid' }]);
    expect(reading.orgSkipped).toBeUndefined();
  });

  it('proves nothing with an empty 200', () => {
    expect(readImportResponse(users.slice(0, 2), {}, 'org-1').outcomes).toEqual([
      { status: 'retryable', reason: UNPROVEN },
      { status: 'retryable', reason: UNPROVEN },
    ]);
  });

  it('says so when ZITADEL skipped the org (it does not exist and no name was given)', () => {
    const reading = readImportResponse(users.slice(0, 1), { errors: [{ type: 'org', id: 'org-1', message: 'ID=COMM-deLSk Message=Errors.Org.Invalid' }], success: {} }, 'org-1');
    expect(reading.orgSkipped).toBe('ID=COMM-deLSk Message=Errors.Org.Invalid');
  });
});
