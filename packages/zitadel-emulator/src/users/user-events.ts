// The user events the emulator writes, with ZITADEL's type names (internal/repository/user/*.go),
// and the user's state after each, as ZITADEL's user projection reduces them
// (internal/query/projection/user.go: reduceHumanAdded → ACTIVE, reduceHumanInitCodeAdded →
// INITIAL, reduceHumanInitCodeSucceeded → ACTIVE, reduceUserLocked → LOCKED, reduceUserUnlocked →
// ACTIVE, reduceUserDeactivated → INACTIVE, reduceUserReactivated → ACTIVE).

export const USER_STATES = [
  'USER_STATE_UNSPECIFIED',
  'USER_STATE_ACTIVE',
  'USER_STATE_INACTIVE',
  'USER_STATE_DELETED',
  'USER_STATE_LOCKED',
  'USER_STATE_INITIAL',
] as const;
/** `zitadel.user.v2.UserState` (proto/zitadel/user/v2/user.proto). */
export type UserState = (typeof USER_STATES)[number];

export const UserEventType = {
  humanAdded: 'user.human.added',
  usernameChanged: 'user.username.changed',
  initCodeAdded: 'user.human.initialization.code.added',
  emailChanged: 'user.human.email.changed',
  emailVerified: 'user.human.email.verified',
  emailCodeAdded: 'user.human.email.code.added',
  phoneChanged: 'user.human.phone.changed',
  phoneRemoved: 'user.human.phone.removed',
  phoneVerified: 'user.human.phone.verified',
  phoneCodeAdded: 'user.human.phone.code.added',
  profileChanged: 'user.human.profile.changed',
  passwordChanged: 'user.human.password.changed',
  passwordCheckSucceeded: 'user.human.password.check.succeeded',
  passwordCheckFailed: 'user.human.password.check.failed',
  passwordlessInitCodeAdded: 'user.human.passwordless.initialization.code.added',
  idpLinkAdded: 'user.human.externalidp.added',
  otpAdded: 'user.human.mfa.otp.added',
  otpVerified: 'user.human.mfa.otp.verified',
  metadataSet: 'user.metadata.set',
  metadataRemoved: 'user.metadata.removed',
  locked: 'user.locked',
  unlocked: 'user.unlocked',
  deactivated: 'user.deactivated',
  reactivated: 'user.reactivated',
} as const;
export type UserEventTypeName = (typeof UserEventType)[keyof typeof UserEventType];

/** One event on a user's aggregate, before it gets its sequence. */
export interface UserEvent {
  type: UserEventTypeName;
  payload: Record<string, unknown>;
}

/** Default code lifetimes of cmd/defaults.yaml (SecretGenerators), as Go durations in ns. */
export const CODE_EXPIRY_NS = {
  initializeUserCode: 72 * 3600e9,
  emailVerificationCode: 3600e9,
  phoneVerificationCode: 3600e9,
  passwordlessInitCode: 3600e9,
} as const;

const STATE_AFTER: Partial<Record<UserEventTypeName, UserState>> = {
  [UserEventType.humanAdded]: 'USER_STATE_ACTIVE',
  [UserEventType.initCodeAdded]: 'USER_STATE_INITIAL',
  [UserEventType.locked]: 'USER_STATE_LOCKED',
  [UserEventType.unlocked]: 'USER_STATE_ACTIVE',
  [UserEventType.deactivated]: 'USER_STATE_INACTIVE',
  [UserEventType.reactivated]: 'USER_STATE_ACTIVE',
};

/** The state after `events`, starting from `state`, as the user projection computes it. */
export function stateAfter(events: readonly UserEvent[], state: UserState = 'USER_STATE_UNSPECIFIED'): UserState {
  let current = state;
  for (const event of events) current = STATE_AFTER[event.type] ?? current;
  return current;
}
