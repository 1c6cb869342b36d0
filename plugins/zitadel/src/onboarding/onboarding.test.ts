// One row per rule of ZITADEL's onboarding read from its source (onboarding.ts cites where).
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { importLanding, v2Landing, v2RouteReason } from './onboarding.js';

const unverified = { email: { email: 'u@example.com', isEmailVerified: false } };
const noHash = { hashedPassword: undefined };
const link = { idps: [{ configId: 'idp-1', externalUserId: '42' }] };
const locked: Partial<ZitadelUserRecord> = { state: 'USER_STATE_LOCKED' };

describe('the bulk import (Human.IsInitialState, createHuman)', () => {
  it.each([
    ['hash, verified e-mail: active, nothing sent', makeUser(1), { state: 'active', notifications: [] }],
    ['hash, unverified e-mail: INITIAL with an init e-mail', makeUser(1, unverified), { state: 'initial', notifications: ['init-email'] }],
    ['no hash, verified e-mail: INITIAL with an init e-mail', makeUser(1, noHash), { state: 'initial', notifications: ['init-email'] }],
    ['IdP link, no hash, verified: active', makeUser(1, { ...noHash, ...link }), { state: 'active', notifications: [] }],
    ['IdP link, unverified e-mail: active, a verification e-mail', makeUser(1, { ...noHash, ...link, ...unverified }), { state: 'active', notifications: ['verify-email'] }],
    ['unverified phone: an SMS code', makeUser(1, { phone: { phone: '+41791234567', isPhoneVerified: false } }), { state: 'active', notifications: ['verify-sms'] }],
    ['blocked: locked, whatever else', makeUser(1, unverified, locked), { state: 'locked', notifications: ['init-email'] }],
  ] as const)('%s', (_rule, record, landing) => {
    expect(importLanding(record)).toEqual(landing);
  });
});

describe('AddHumanUser (no init code ever)', () => {
  it.each([
    ['silent: active and silent, even unverified', makeUser(1, { ...unverified, ...noHash, phone: { phone: '+41791234567' } }), 'silent', { state: 'active', notifications: [] }],
    ['zitadel: ZITADEL sends its verification e-mail and SMS', makeUser(1, { ...unverified, phone: { phone: '+41791234567' } }), 'zitadel', { state: 'active', notifications: ['verify-email', 'verify-sms'] }],
    ['blocked: locked', makeUser(1, {}, locked), 'silent', { state: 'locked', notifications: [] }],
  ] as const)('%s', (_rule, record, onboarding, landing) => {
    expect(v2Landing(record, onboarding)).toEqual(landing);
  });
});

describe('which users the import sink sends through v2', () => {
  it.each([
    ['hash, verified e-mail: the import', makeUser(1), 'silent', undefined],
    ['unverified e-mail (would be INITIAL)', makeUser(1, unverified), 'silent', 'e-mail not verified'],
    ['no hash (would be INITIAL)', makeUser(1, noHash), 'silent', 'no password'],
    ['blocked, no hash (INITIAL under the lock)', makeUser(1, noHash, locked), 'silent', 'no password'],
    ['IdP link, unverified (a verification e-mail)', makeUser(1, { ...noHash, ...link, ...unverified }), 'silent', 'e-mail not verified'],
    ['unverified phone (an SMS)', makeUser(1, { phone: { phone: '+41791234567' } }), 'silent', 'phone not verified'],
    ['a password change the import would ignore', makeUser(1, {}, { passwordResetRequired: true }), 'silent', 'password change required'],
    ['zitadel onboarding: the import, INITIAL and all', makeUser(1, unverified), 'zitadel', undefined],
    ['zitadel onboarding still routes a password change', makeUser(1, { passwordChangeRequired: true }), 'zitadel', 'password change required'],
  ] as const)('%s', (_case, record, onboarding, reason) => {
    expect(v2RouteReason(record, onboarding)).toBe(reason);
  });
});
