import { describe, expect, it } from 'vitest';
import { userIdentityOf } from './user-identity.js';

describe('userIdentityOf', () => {
  it.each([
    ['an Auth0 user record', { profile: { user_id: 'auth0|1', email: 'a@x.io' }, passwordStatus: 'present' }, undefined, { id: 'auth0|1', email: 'a@x.io' }],
    ['a ZITADEL record', { userId: 'z1', user: { email: { email: 'z@x.io', isEmailVerified: true } } }, undefined, { id: 'z1', email: 'z@x.io' }],
    ['a flat record', { id: 'u7', email: 'u7@x.io' }, undefined, { id: 'u7', email: 'u7@x.io' }],
    ['an orphan password (the detail names it)', { hash: '$2b$…', oid: 'ignored' }, { id: 'auth0|9', email: 'p@x.io' }, { id: 'auth0|9', email: 'p@x.io' }],
    ['a Mongo-style id', { _id: { $oid: '65f0a1' } }, undefined, { id: '65f0a1', email: undefined }],
    ['an unreadable line', '{"user_id": "auth0|1", "em', undefined, { id: undefined, email: undefined }],
  ])('finds the id and e-mail of %s', (_name, record, detail, expected) => {
    expect(userIdentityOf(record, detail)).toEqual(expected);
  });
});
