// Commands.ChangeUserHuman (internal/command/user_v2_human.go), behind UpdateUser and the
// deprecated UpdateHumanUser: validate (ChangeHuman.Validate), find the user (COMMAND-ugjs0upun6),
// check `user.write` when anything was asked for (ChangeHuman.Changed), build the events part by
// part (human-change.ts), push them in one go — or nothing when no part changed.
import { requireUserPermission } from '../auth/permissions.js';
import type { Principal } from '../db/credential-store.js';
import { type ApiError, GrpcCode, zitadelError } from '../http/api-error.js';
import { passwordComplexityError } from '../password/password-complexity.js';
import type { EmulatorServices } from '../services.js';
import { emailAddressError, normalizePhone } from './human-checks.js';
import { type EmailChange, type HumanChange, humanChangeEvents, type PasswordChange, type PhoneChange, type ProfileChange } from './human-change.js';
import type { MetadataValue, StoredHumanUser } from './human-user.js';
import { UserEventType } from './user-events.js';

/** SetPassword (proto/zitadel/user/v2/password.proto) as sent, before any check. */
export interface PasswordInput {
  password?: string;
  hash?: string;
  changeRequired: boolean;
  currentPassword?: string;
  verificationCode?: string;
}

/** What UpdateUser / UpdateHumanUser ask for, after the proto rules (undefined = not sent). */
export interface ChangeHumanInput {
  username?: string;
  profile?: ProfileChange;
  email?: EmailChange;
  /** The number as sent; `remove` when UpdateUser sends an empty one. */
  phone?: PhoneChange;
  password?: PasswordInput;
  metadata: MetadataValue[];
}

export interface ChangeHumanResult {
  sequence: number;
  changedAt: string;
  resourceOwner: string;
  emailCode?: string;
  phoneCode?: string;
}

/** ChangeHuman.Validate: e-mail (EmailAddress.Validate), phone (Phone.Validate: normalised), password (Password.Validate). */
async function validateChange(services: EmulatorServices, input: ChangeHumanInput): Promise<PhoneChange | undefined> {
  if (input.email && input.email.email !== '') {
    const error = emailAddressError(input.email.email);
    if (error) throw error;
  }
  let phone = input.phone;
  if (phone) {
    if (phone.remove && phone.phone !== '') {
      throw zitadelError(GrpcCode.InvalidArgument, 'USRP2-12881', 'Cannot update and remove the phone number at the same time');
    }
    if (phone.phone !== '') {
      const normalized = await normalizePhone(phone.phone);
      if (!normalized.ok) throw normalized.error;
      phone = { ...phone, phone: normalized.e164 };
    }
  }
  if (input.password) {
    if (input.password.hash) {
      const refusal = services.hashPolicy.refusal(input.password.hash);
      if (refusal) throw refusal;
    }
    if (!input.password.password && !input.password.hash) {
      throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-3klek4sbns', 'Errors.User.Password.Empty');
    }
  }
  return phone;
}

/** ChangeHuman.Changed: anything asked for at all, changed or not, needs the permission. */
function asksForChange(input: ChangeHumanInput): boolean {
  return Boolean(input.username !== undefined || input.profile || input.email || input.phone || input.password || input.metadata.length > 0);
}

/**
 * changeUserPassword → setPasswordCommand (internal/command/user_human_password.go): not for an
 * INITIAL user (COMMAND-M9dse); verified by the current password (checkCurrentPassword: a wrong
 * one records `password.check.failed` and fails with COMMAND-3M0fs) or a reset code (none is ever
 * issued here: COMMAND-2M9fs), else by the caller's permission; a plain password must meet the
 * complexity policy and is hashed.
 */
async function passwordChange(
  services: EmulatorServices,
  user: StoredHumanUser,
  password: PasswordInput,
  editorUserId: string,
): Promise<PasswordChange> {
  if (user.state === 'USER_STATE_INITIAL') throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-M9dse', 'Errors.User.NotInitialised');
  if (password.verificationCode) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-2M9fs', 'Errors.User.Code.NotFound');
  if (password.currentPassword) await checkCurrentPassword(services, user, password.currentPassword, editorUserId);
  if (password.hash) return { encodedHash: password.hash, changeRequired: password.changeRequired };
  const plain = password.password ?? '';
  const complexity = passwordComplexityError(plain);
  if (complexity) throw complexity;
  return { encodedHash: await services.hashPolicy.hashPlainPassword(plain), changeRequired: password.changeRequired };
}

/** verifyPasswordWithLockoutPolicy: locked (COMMAND-JLK35), no password (COMMAND-3nJ4t), a mismatch recorded and refused. */
async function checkCurrentPassword(services: EmulatorServices, user: StoredHumanUser, current: string, editorUserId: string): Promise<void> {
  if (user.state === 'USER_STATE_LOCKED') throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-JLK35', 'Errors.User.Locked');
  if (!user.passwordHash) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-3nJ4t', 'Errors.User.Password.NotSet');
  const outcome = await services.hashPolicy.verify(user.passwordHash, current);
  if (outcome === 'ok') return;
  if (outcome === 'error') throw zitadelError(GrpcCode.Internal, 'COMMAND-CahN2', 'Errors.Internal');
  services.store.updateUser(user.id, editorUserId, [{ type: UserEventType.passwordCheckFailed, payload: {} }]);
  throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-3M0fs', 'Errors.User.Password.Invalid');
}

/** Runs ChangeUserHuman for `userId`; answers the user's latest sequence and change date (unchanged when nothing changed). */
export async function changeUserHuman(
  services: EmulatorServices,
  principal: Principal,
  userId: string,
  input: ChangeHumanInput,
): Promise<ChangeHumanResult> {
  const { store } = services;
  const phone = await validateChange(services, input);
  const user = store.findUserById(userId);
  if (!user) throw zitadelError(GrpcCode.NotFound, 'COMMAND-ugjs0upun6', 'Errors.User.NotFound');
  if (asksForChange(input)) requireUserPermission(principal, user.orgId, 'user.write');
  // changeUsername: userValidateDomain runs only for a different name.
  if (input.username !== undefined && input.username !== user.username && store.usernameDomainTaken(input.username, user.orgId)) {
    throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-SFd21', 'Errors.User.DomainNotAllowedAsUsername');
  }
  const password = input.password && (await passwordChange(services, user, input.password, principal.id));
  // Compared with the user as it is now, with no await before the write: another request may have
  // changed it while the password was hashed (ZITADEL's push checks the aggregate's sequence).
  const current = store.findUserById(userId);
  if (!current) throw pushError('user-not-found');
  const change: HumanChange = { username: input.username, profile: input.profile, email: input.email, phone, password, metadata: input.metadata };
  const { events, update, codes } = humanChangeEvents(current, store.metadataOf(current.id), change);
  const result = store.updateUser(current.id, principal.id, events, update);
  if (!result.ok) throw pushError(result.reason);
  return { sequence: result.sequence, changedAt: result.changedAt, resourceOwner: user.orgId, ...codes };
}

/** The push's failures: the unique constraints (V3-DKcYh in internal/eventstore/v3/unique_constraints.go), or the user gone. */
function pushError(reason: 'user-not-found' | 'idpLink' | 'username'): ApiError {
  if (reason === 'user-not-found') return zitadelError(GrpcCode.NotFound, 'COMMAND-ugjs0upun6', 'Errors.User.NotFound');
  if (reason === 'username') return zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', 'Errors.User.AlreadyExists');
  return zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', 'Errors.User.ExternalIDP.AlreadyExists');
}
