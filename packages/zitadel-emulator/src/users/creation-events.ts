// The events a new human user gets, in ZITADEL's order, for the two ways idflow creates users:
// the admin import (Commands.ImportHuman → importHuman → createHuman in
// internal/command/user_human.go) and the v2 AddHumanUser / CreateUser (Commands.AddUserHuman →
// addUserHumanCommands in internal/command/user_v2_human.go, called with allowInitMail=false by
// internal/api/grpc/user/v2/user.go). The user's state follows from them (user-events.ts).
import { type HumanData, humanAddedPayload, type IdpLink, type MetadataValue, withDisplayName } from './human-user.js';
import { CODE_EXPIRY_NS, type UserEvent, UserEventType, type UserState } from './user-events.js';

/** The password a user is created with, as the human.added event records it. */
export interface NewPassword {
  encodedHash: string;
  changeRequired: boolean;
}

export interface ImportedHuman {
  username: string;
  human: HumanData;
  password?: NewPassword;
  /** `requestPasswordlessRegistration` of ImportHumanUserRequest. */
  passwordless: boolean;
  idpLinks: IdpLink[];
  /** DataHumanUser.state: INACTIVE and LOCKED add their event after the others. */
  requestedState?: UserState;
}

/**
 * `Human.IsInitialState` (internal/domain/human.go): a user without IdP links is INITIAL when its
 * e-mail is not verified, or when it has neither password nor hash (unless passwordless).
 */
export function isInitialState(human: HumanData, hasPassword: boolean, passwordless: boolean, hasIdpLinks: boolean): boolean {
  if (hasIdpLinks) return false;
  return !human.email.isVerified || (!passwordless && !hasPassword);
}

function idpLinkEvent(link: IdpLink): UserEvent {
  // UserIDPLinkAddedEvent's JSON names (internal/repository/user/human_external_idp.go).
  return { type: UserEventType.idpLinkAdded, payload: dropEmpty({ idpConfigId: link.idpId, userId: link.userId, displayName: link.userName }) };
}

/**
 * createHuman + ImportHuman: human.added (a hash is recorded with changeRequired=false, as
 * createAddHumanEvent calls AddPasswordData(HashedPassword, false)), the IdP links, then either
 * an init code (INITIAL) or the e-mail verified event / an e-mail code, then the phone code or
 * verified event, the passwordless init code, and last the requested state's event.
 * An INITIAL user's e-mail is left unverified: `isEmailVerified: true` of a password-less user
 * never becomes an e-mail verified event.
 */
export function importCreationEvents(user: ImportedHuman): { events: UserEvent[]; human: HumanData } {
  const hasPassword = user.password !== undefined;
  const events: UserEvent[] = [
    { type: UserEventType.humanAdded, payload: humanAddedPayload(user.username, user.human, user.password) },
    ...user.idpLinks.map(idpLinkEvent),
  ];
  const initial = isInitialState(user.human, hasPassword, user.passwordless, user.idpLinks.length > 0);
  let emailVerified = false;
  if (initial) {
    events.push({ type: UserEventType.initCodeAdded, payload: { expiry: CODE_EXPIRY_NS.initializeUserCode } });
  } else if (user.human.email.isVerified) {
    events.push({ type: UserEventType.emailVerified, payload: {} });
    emailVerified = true;
  } else {
    events.push({ type: UserEventType.emailCodeAdded, payload: { expiry: CODE_EXPIRY_NS.emailVerificationCode } });
  }
  const phone = user.human.phone;
  if (phone?.phone) {
    events.push(
      phone.isVerified
        ? { type: UserEventType.phoneVerified, payload: {} }
        : { type: UserEventType.phoneCodeAdded, payload: { expiry: CODE_EXPIRY_NS.phoneVerificationCode } },
    );
  }
  if (user.passwordless) {
    events.push({ type: UserEventType.passwordlessInitCodeAdded, payload: { expiry: CODE_EXPIRY_NS.passwordlessInitCode } });
  }
  if (user.requestedState === 'USER_STATE_INACTIVE') events.push({ type: UserEventType.deactivated, payload: {} });
  if (user.requestedState === 'USER_STATE_LOCKED') events.push({ type: UserEventType.locked, payload: {} });
  const human: HumanData = withDisplayName({ ...user.human, email: { ...user.human.email, isVerified: emailVerified || undefined } });
  return { events, human };
}

/** SetHumanEmail's `verification` oneof (proto/zitadel/user/v2/email.proto). */
export type EmailVerification =
  | { kind: 'default' }
  | { kind: 'sendCode'; urlTemplate?: string }
  | { kind: 'returnCode' }
  | { kind: 'isVerified'; value: boolean };

/** SetHumanPhone's `verification` oneof; `is_verified` can only be true (bool.const = true). */
export type PhoneVerification = { kind: 'default' } | { kind: 'sendCode' } | { kind: 'returnCode' } | { kind: 'isVerified' };

export interface V2NewHuman {
  username: string;
  human: HumanData;
  password?: NewPassword;
  email: EmailVerification;
  phone: PhoneVerification;
  metadata: MetadataValue[];
  idpLinks: IdpLink[];
  totp: boolean;
}

/**
 * addUserHumanCommands with allowInitMail=false: no init code ever. The e-mail gets the verified
 * event when `isVerified: true`; no code when `isVerified` is set at all (NoEmailVerification in
 * addUserRequestEmailToCommand); otherwise a code, sent unless `returnCode`
 * (addHumanCommandEmail). A phone gets the verified event or a code (addHumanCommandPhone).
 * Then metadata, IdP links and the TOTP secret.
 */
export function v2CreationEvents(user: V2NewHuman): { events: UserEvent[]; human: HumanData } {
  const events: UserEvent[] = [
    { type: UserEventType.humanAdded, payload: humanAddedPayload(user.username, user.human, user.password) },
  ];
  const email = user.email;
  const emailVerified = email.kind === 'isVerified' && email.value;
  if (emailVerified) events.push({ type: UserEventType.emailVerified, payload: {} });
  else if (email.kind !== 'isVerified') {
    const payload: Record<string, unknown> = { expiry: CODE_EXPIRY_NS.emailVerificationCode };
    if (email.kind === 'sendCode' && email.urlTemplate) payload.url_template = email.urlTemplate;
    if (email.kind === 'returnCode') payload.code_returned = true;
    events.push({ type: UserEventType.emailCodeAdded, payload });
  }
  const phoneVerified = Boolean(user.human.phone?.phone) && user.phone.kind === 'isVerified';
  if (user.human.phone?.phone) {
    if (phoneVerified) events.push({ type: UserEventType.phoneVerified, payload: {} });
    else {
      const payload: Record<string, unknown> = { expiry: CODE_EXPIRY_NS.phoneVerificationCode };
      if (user.phone.kind === 'returnCode') payload.code_returned = true;
      events.push({ type: UserEventType.phoneCodeAdded, payload });
    }
  }
  for (const entry of user.metadata) {
    events.push({ type: UserEventType.metadataSet, payload: { key: entry.key, value: entry.value.toString('base64') } });
  }
  events.push(...user.idpLinks.map(idpLinkEvent));
  if (user.totp) events.push({ type: UserEventType.otpAdded, payload: {} }, { type: UserEventType.otpVerified, payload: {} });
  const human: HumanData = withDisplayName({
    ...user.human,
    email: { ...user.human.email, isVerified: emailVerified || undefined },
    phone: user.human.phone && { ...user.human.phone, isVerified: phoneVerified || undefined },
  });
  return { events, human };
}

function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined && inner !== '') out[key] = inner;
  return out;
}
