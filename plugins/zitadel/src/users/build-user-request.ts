// ZitadelUserRecord → User Service v2 bodies: AddHumanUser (`/v2/users/human`) or CreateUser
// (`/v2/users/new`). Metadata and IdP links travel with the user, in the same call.
import type {
  AddHumanUserRequest,
  CreateUserRequest,
  ImportHumanUser,
  SetHumanEmail,
  SetHumanPhone,
  V2IdpLink,
  V2Profile,
  ZitadelUserRecord,
} from '@idflow/zitadel-model';
import type { Onboarding } from '../onboarding/onboarding.js';

/** Which v2 endpoint creates users. */
export type UsersApi = 'human' | 'new';

export const usersApiPath: Record<UsersApi, string> = { human: '/v2/users/human', new: '/v2/users/new' };

export function toProfile(user: ImportHumanUser): V2Profile {
  const p = user.profile;
  return {
    givenName: p.firstName,
    familyName: p.lastName,
    ...(p.nickName ? { nickName: p.nickName } : {}),
    ...(p.displayName ? { displayName: p.displayName } : {}),
    ...(p.preferredLanguage ? { preferredLanguage: p.preferredLanguage } : {}),
    ...(p.gender ? { gender: p.gender } : {}),
  };
}

export function toIdpLinks(user: ImportHumanUser): V2IdpLink[] | undefined {
  if (!user.idps?.length) return undefined;
  return user.idps.map((l) => ({ idpId: l.configId, userId: l.externalUserId, userName: l.displayName ?? l.externalUserId }));
}

/** The hash to send, with a change forced when the record asks for a reset. */
export function toHashedPassword(record: ZitadelUserRecord): { hash: string; changeRequired?: boolean } | undefined {
  const hash = record.user.hashedPassword?.value;
  if (!hash) return undefined;
  const changeRequired = record.passwordResetRequired || record.user.passwordChangeRequired;
  return changeRequired ? { hash, changeRequired: true } : { hash };
}

/**
 * The e-mail's verification: `silent` names it either way, so ZITADEL makes no code and sends
 * nothing (an unverified address stays unverified); `zitadel` leaves it out for an unverified
 * address, so ZITADEL sends its verification e-mail (`addUserRequestEmailToCommand`).
 */
export function toEmail(user: ImportHumanUser, onboarding: Onboarding): SetHumanEmail {
  const verified = user.email.isEmailVerified === true;
  if (verified || onboarding === 'silent') return { email: user.email.email, isVerified: verified };
  return { email: user.email.email };
}

/**
 * `isVerified` is `bool.const = true` (proto/zitadel/user/v2/phone.proto): false is a 400 for the
 * whole user, so an unverified phone gets `returnCode` (a code is made, no SMS sent) when silent,
 * and nothing (ZITADEL sends its SMS) otherwise.
 */
export function toPhone(user: ImportHumanUser, onboarding: Onboarding): SetHumanPhone | undefined {
  if (!user.phone) return undefined;
  if (user.phone.isPhoneVerified === true) return { phone: user.phone.phone, isVerified: true };
  return onboarding === 'silent' ? { phone: user.phone.phone, returnCode: {} } : { phone: user.phone.phone };
}

/** The AddHumanUser body of one record. */
export function buildAddHumanUser(record: ZitadelUserRecord, orgId: string, onboarding: Onboarding = 'silent'): AddHumanUserRequest {
  const user = record.user;
  const hashedPassword = toHashedPassword(record);
  const idpLinks = toIdpLinks(user);
  const phone = toPhone(user, onboarding);
  return {
    userId: record.userId,
    username: user.userName,
    organization: { orgId },
    profile: toProfile(user),
    email: toEmail(user, onboarding),
    ...(phone ? { phone } : {}),
    ...(record.metadata.length ? { metadata: record.metadata } : {}),
    ...(hashedPassword ? { hashedPassword } : {}),
    ...(idpLinks ? { idpLinks } : {}),
  };
}

/** The CreateUser body of one record. */
export function buildCreateUser(record: ZitadelUserRecord, orgId: string, onboarding: Onboarding = 'silent'): CreateUserRequest {
  const add = buildAddHumanUser(record, orgId, onboarding);
  return {
    organizationId: orgId,
    userId: add.userId,
    username: add.username,
    human: {
      profile: add.profile,
      email: add.email,
      ...(add.phone ? { phone: add.phone } : {}),
      ...(add.hashedPassword ? { hashedPassword: add.hashedPassword } : {}),
      ...(add.idpLinks ? { idpLinks: add.idpLinks } : {}),
    },
    ...(add.metadata ? { metadata: add.metadata } : {}),
  };
}

/** The body for `api`. */
export function buildUserRequest(api: UsersApi, record: ZitadelUserRecord, orgId: string, onboarding: Onboarding = 'silent'): AddHumanUserRequest | CreateUserRequest {
  return api === 'new' ? buildCreateUser(record, orgId, onboarding) : buildAddHumanUser(record, orgId, onboarding);
}

/** The id a create answer names: AddHumanUser's `userId`, CreateUser's `id`; undefined when absent. */
export function createdUserId(api: UsersApi, body: unknown): string | undefined {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { userId?: unknown; id?: unknown };
  const id = api === 'new' ? answer.id : answer.userId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
