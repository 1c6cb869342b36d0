import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { readImportResponse } from './read-import-response.js';

describe('readImportResponse', () => {
  const users = [1, 2, 3, 4, 5, 6].map((n) => makeUser(n));
  it('maps per-user errors and successes to outcomes in batch order', () => {
    const reading = readImportResponse(users, {
      errors: [
        { type: 'org', id: 'org-1', message: 'ID=ORG-lapo2m Message=Errors.Org.AlreadyExisting' },
        { type: 'human_user', id: users[1].userId, message: 'ID=COMMAND-k2unb Message=Errors.User.AlreadyExisting' },
        { type: 'human_user', id: users[2].userId, message: 'ID=V3-DKcYh Message=Errors.User.AlreadyExists' },
        { type: 'human_user', id: users[3].userId, message: 'ID=USER-JDk4t Message=Errors.User.Password.NotSupported' },
        { type: 'user_metadata', id: `${users[0].userId}_plan`, message: 'ID=META-1 Message=Errors.Metadata.Invalid' },
      ],
      success: { orgs: [{ orgId: 'org-1', humanUserIds: [users[0].userId, users[4].userId] }] },
    });
    expect(reading.outcomes).toEqual([
      { status: 'written' },
      { status: 'present' },
      { status: 'rejected', reason: 'userName already taken in ZITADEL', detail: { zitadel: 'ID=V3-DKcYh Message=Errors.User.AlreadyExists' } },
      {
        status: 'rejected',
        reason: 'ZITADEL refused the password hash: Errors.User.Password.NotSupported',
        detail: { zitadel: 'ID=USER-JDk4t Message=Errors.User.Password.NotSupported' },
      },
      { status: 'written' },
      { status: 'rejected', reason: expect.stringContaining('neither imported nor refused') },
    ]);
    expect(reading.metadataFailures).toEqual([{ userId: users[0].userId, key: 'plan', message: 'ID=META-1 Message=Errors.Metadata.Invalid' }]);
  });
});
