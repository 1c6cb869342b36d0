// ZitadelUserRecord → User Service v2 bodies: AddHumanUser (`/v2/users/human`) or CreateUser
// (`/v2/users/new`). Metadata and IdP links travel with the user, in the same call.
import type {
  AddHumanUserRequest,
  CreateUserRequest,
  ImportHumanUser,
  V2IdpLink,
  V2Profile,
  ZitadelUserRecord,
} from '@idflow/zitadel-model';

/** Which v2 endpoint creates users. */
export type UsersApi = 'human' | 'new';

export const usersApiPath: Record<UsersApi, string> = { human: '/v2/users/human', new: '/v2/users/new' };

function toProfile(user: ImportHumanUser): V2Profile {
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

function toIdpLinks(user: ImportHumanUser): V2IdpLink[] | undefined {
  if (!user.idps?.length) return undefined;
  return user.idps.map((l) => ({ idpId: l.configId, userId: l.externalUserId, userName: l.displayName ?? l.externalUserId }));
}

/** The hash to send, with a change forced when the record asks for a reset. */
function toHashedPassword(record: ZitadelUserRecord): { hash: string; changeRequired?: boolean } | undefined {
  const hash = record.user.hashedPassword?.value;
  if (!hash) return undefined;
  const changeRequired = record.passwordResetRequired || record.user.passwordChangeRequired;
  return changeRequired ? { hash, changeRequired: true } : { hash };
}

/** The AddHumanUser body of one record. */
export function buildAddHumanUser(record: ZitadelUserRecord, orgId: string): AddHumanUserRequest {
  const user = record.user;
  const hashedPassword = toHashedPassword(record);
  const idpLinks = toIdpLinks(user);
  return {
    userId: record.userId,
    username: user.userName,
    organization: { orgId },
    profile: toProfile(user),
    email: { email: user.email.email, isVerified: user.email.isEmailVerified ?? false },
    ...(user.phone ? { phone: { phone: user.phone.phone, isVerified: user.phone.isPhoneVerified ?? false } } : {}),
    ...(record.metadata.length ? { metadata: record.metadata } : {}),
    ...(hashedPassword ? { hashedPassword } : {}),
    ...(idpLinks ? { idpLinks } : {}),
  };
}

/** The CreateUser body of one record. */
export function buildCreateUser(record: ZitadelUserRecord, orgId: string): CreateUserRequest {
  const add = buildAddHumanUser(record, orgId);
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
export function buildUserRequest(api: UsersApi, record: ZitadelUserRecord, orgId: string): AddHumanUserRequest | CreateUserRequest {
  return api === 'new' ? buildCreateUser(record, orgId) : buildAddHumanUser(record, orgId);
}
