// AUTH0_PRESET_PROFILE_FIELDS is what the preset really reads: a profile with every field Auth0 can
// export is mapped under each option that reads something of its own, through a proxy that records
// every key read. A key read but not listed would be missing from an export job's file; a key
// listed but never read would be exported for nothing.
import type { Auth0Profile, Auth0UserRecord } from '@idflow/plugin-auth0';
import { describe, expect, it } from 'vitest';
import { compileFieldMapperConfig } from '../compile-config.js';
import type { FieldMapperConfig } from '../config-schema.js';
import { recordingReport } from '../test-context.test-helpers.js';
import { AUTH0_PRESET_PROFILE_FIELDS } from './auth0-profile-fields.js';
import { mapAuth0User } from './auth0-to-zitadel.js';

/** Every root field of Auth0's user profile structure, filled. */
const everyField: Auth0Profile = {
  user_id: 'auth0|65f0a1',
  email: 'jane@example.com',
  email_verified: true,
  username: 'jane',
  phone_number: '+14155550123',
  phone_verified: true,
  given_name: 'Jane',
  family_name: 'Doe',
  name: 'Jane Doe',
  nickname: 'jd',
  picture: 'https://example.com/jane.png',
  locale: 'en-US',
  identities: [
    { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '65f0a1', isSocial: false },
    { connection: 'google-oauth2', provider: 'google-oauth2', user_id: '1083', isSocial: true },
  ],
  app_metadata: { plan: 'gold' },
  user_metadata: { color: 'green' },
  blocked: true,
  created_at: '2020-01-01T00:00:00.000Z',
  updated_at: '2020-01-02T00:00:00.000Z',
  last_login: '2020-01-03T00:00:00.000Z',
  last_ip: '192.0.2.1',
  logins_count: 3,
  multifactor: ['guardian'],
};

/** Maps `everyField` with `options` and answers the profile keys read. */
function keysRead(options: Omit<FieldMapperConfig, 'preset' | 'mapping'>, profile: Auth0Profile = everyField): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(structuredClone(profile), {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  const record: Auth0UserRecord = { profile: recording, passwordStatus: 'present', password: { hash: '$2b$10$abc', oid: '65f0a1' } };
  const plan = compileFieldMapperConfig({ preset: 'auth0-to-zitadel', ...options });
  expect(mapAuth0User(record, plan.preset!, recordingReport()).ok).toBe(true);
  return read;
}

describe('AUTH0_PRESET_PROFILE_FIELDS', () => {
  it('holds every profile key the preset reads, under every option, and nothing it never reads', () => {
    const variants: Omit<FieldMapperConfig, 'preset' | 'mapping'>[] = [
      {},
      { userName: 'username' },
      { userName: 'user_id', emailVerified: 'all-verified' },
      { metadata: { include: ['app_metadata'] }, idpLinks: { 'google-oauth2': '2634' }, blockedState: 'inactive' },
    ];
    const read = new Set<string>();
    for (const options of variants) for (const key of keysRead(options)) read.add(key);
    // Names fall back to nickname and the user_id's provider stands in for missing identities.
    for (const key of keysRead({}, { ...everyField, given_name: undefined, family_name: undefined, name: undefined, identities: undefined })) read.add(key);
    expect([...read].sort()).toEqual([...AUTH0_PRESET_PROFILE_FIELDS].sort());
  });
});
