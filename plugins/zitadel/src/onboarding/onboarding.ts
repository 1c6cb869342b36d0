// How a migrated user meets ZITADEL: what state it lands in and which codes (and e-mails or SMS)
// ZITADEL creates for it, per API. Read from ZITADEL's source:
//
// - Bulk import (`importHumanUsers` → `Commands.ImportHuman` → `createHuman`, internal/command/
//   user_human.go): `Human.IsInitialState` (internal/domain/human.go) — no IdP link, and an
//   unverified e-mail or neither password nor hash (unless passwordless registration) — makes the
//   user INITIAL with an init code (an init e-mail when SMTP is set up); the login then asks for
//   that code even when a hash was imported, and a verified e-mail is not marked verified. Otherwise
//   a verified e-mail is marked verified and an unverified one gets an e-mail code (a verification
//   e-mail). An unverified phone gets a phone code (an SMS when a provider is set up). The hash is
//   stored with `changeRequired: false` whatever `passwordChangeRequired` says (`createAddHumanEvent`
//   AddPasswordData(hash, false)). The `state` field adds a locked or deactivated event in the same
//   push.
// - User Service v2 AddHumanUser (`AddUserHuman(..., allowInitMail=false)`, internal/api/grpc/user/
//   v2/user.go, internal/command/user_v2_human.go): no init code, the user is ACTIVE. The e-mail
//   gets a code only when the request names no verification (`addHumanCommandEmail`); with
//   `isVerified` (true or false) none is made, with `returnCode` one is made and returned, not sent.
//   The phone likewise, except that `isVerified` may only be true (`bool.const`). `changeRequired`
//   on the hash is honoured. There is no state field: lock / deactivate are calls of their own.
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

/**
 * `silent` (default): every user ACTIVE (locked or inactive only when Auth0 says blocked), no init
 * code, no verification code sent, `email_verified` kept as Auth0 had it. `zitadel`: ZITADEL's own
 * onboarding for each API (import: INITIAL users with init codes; both: verification e-mails and SMS).
 */
export type Onboarding = 'silent' | 'zitadel';

export const onboardingSchema = {
  type: 'string',
  enum: ['silent', 'zitadel'],
  description:
    '`silent` (default): users land ACTIVE (locked/inactive when blocked in Auth0) with no init code and no verification e-mail or SMS, and keep Auth0\'s email_verified. `zitadel`: ZITADEL\'s own onboarding: the bulk import makes users with an unverified e-mail, or without password and IdP link, INITIAL with an init code (an init e-mail when SMTP is set up), and unverified e-mails and phones get verification codes sent. See docs/migrate-auth0-to-zitadel.md, "Users\' state after the migration".',
} as const;

/** The state ZITADEL gives a user, as ListUsers names it. */
export type ResultingState = 'active' | 'initial' | 'locked' | 'inactive';

/** Codes ZITADEL creates for a user; each is a message sent when SMTP / SMS is set up. */
export type Notification = 'init-email' | 'verify-email' | 'verify-sms';

/** What creating `record` through an API leads to. */
export interface Landing {
  state: ResultingState;
  notifications: Notification[];
}

const blockedState: Partial<Record<ZitadelUserRecord['state'], ResultingState>> = {
  USER_STATE_LOCKED: 'locked',
  USER_STATE_INACTIVE: 'inactive',
};

function hasHash(record: ZitadelUserRecord): boolean {
  return Boolean(record.user.hashedPassword?.value);
}

/** True when the record asks for a password change at first login and has a hash to change. */
export function wantsPasswordChange(record: ZitadelUserRecord): boolean {
  return hasHash(record) && Boolean(record.passwordResetRequired || record.user.passwordChangeRequired);
}

/** `Human.IsInitialState` (internal/domain/human.go) for the bulk import. */
function importMakesInitial(record: ZitadelUserRecord): boolean {
  const { user } = record;
  if ((user.idps?.length ?? 0) > 0) return false;
  return user.email.isEmailVerified !== true || (!user.requestPasswordlessRegistration && !hasHash(record) && !user.password);
}

/** Where `record` lands through the bulk import (`Human.IsInitialState`, `createHuman`). */
export function importLanding(record: ZitadelUserRecord): Landing {
  const { user } = record;
  const emailVerified = user.email.isEmailVerified === true;
  const initial = importMakesInitial(record);
  const notifications: Notification[] = [];
  if (initial) notifications.push('init-email');
  else if (!emailVerified) notifications.push('verify-email');
  if (user.phone?.phone && !user.phone.isPhoneVerified) notifications.push('verify-sms');
  return { state: blockedState[record.state] ?? (initial ? 'initial' : 'active'), notifications };
}

/** Where `record` lands through AddHumanUser built for `onboarding` (no init code, ever). */
export function v2Landing(record: ZitadelUserRecord, onboarding: Onboarding): Landing {
  const { user } = record;
  const notifications: Notification[] = [];
  if (onboarding === 'zitadel') {
    if (!user.email.isEmailVerified) notifications.push('verify-email');
    if (user.phone?.phone && !user.phone.isPhoneVerified) notifications.push('verify-sms');
  }
  return { state: blockedState[record.state] ?? 'active', notifications };
}

/**
 * Why the import sink sends `record` through AddHumanUser instead of the bulk import, or undefined
 * to import it. The import cannot honour a password change on a hash; with `silent` onboarding it
 * must not make the user INITIAL or send it a code either.
 */
export function v2RouteReason(record: ZitadelUserRecord, onboarding: Onboarding): string | undefined {
  if (wantsPasswordChange(record)) return 'password change required';
  if (onboarding === 'zitadel') return undefined;
  if (importMakesInitial(record)) return record.user.email.isEmailVerified ? 'no password' : 'e-mail not verified';
  const landing = importLanding(record);
  if (landing.notifications.includes('verify-email')) return 'e-mail not verified';
  if (landing.notifications.includes('verify-sms')) return 'phone not verified';
  return undefined;
}
