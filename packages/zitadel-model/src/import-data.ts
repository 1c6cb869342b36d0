// The Admin API bulk import (`POST /admin/v1/import`) request and response, REST (camelCase) names.

export type Gender = 'GENDER_UNSPECIFIED' | 'GENDER_FEMALE' | 'GENDER_MALE' | 'GENDER_DIVERSE';

export interface ImportHumanProfile {
  firstName: string;
  lastName: string;
  nickName?: string;
  displayName?: string;
  preferredLanguage?: string;
  gender?: Gender;
}

export interface ImportIdpLink {
  configId: string;
  externalUserId: string;
  displayName?: string;
}

/** `ImportHumanUserRequest`: one human user of a bulk import. */
export interface ImportHumanUser {
  userName: string;
  profile: ImportHumanProfile;
  email: { email: string; isEmailVerified?: boolean };
  phone?: { phone: string; isPhoneVerified?: boolean };
  password?: string;
  hashedPassword?: { value: string };
  passwordChangeRequired?: boolean;
  requestPasswordlessRegistration?: boolean;
  otpCode?: string;
  idps?: ImportIdpLink[];
}

/** ZITADEL user states idflow may set on import. */
export type UserState = 'USER_STATE_ACTIVE' | 'USER_STATE_INACTIVE' | 'USER_STATE_LOCKED';

/**
 * Why a user is written without a password hash: the Auth0 user signs in through a social or
 * enterprise IdP (`social`) or passwordless (`passwordless`), the export held no hash for it
 * (`no-hash-in-export`), or idflow refused the hash by policy (`hash-refused`).
 */
export type WithoutPasswordCause = 'social' | 'passwordless' | 'no-hash-in-export' | 'hash-refused';

export interface ImportMetadataEntry {
  /** The user id the entry belongs to. */
  id: string;
  key: string;
  /** base64 of the value bytes (idflow: base64 of JSON), at most 500,000 bytes decoded. */
  value: string;
}

/**
 * The record idflow's mapper emits and ZITADEL sinks consume: one user, its metadata and state.
 * `orgId` may be left out and filled by the sink from its config.
 */
export interface ZitadelUserRecord {
  userId: string;
  user: ImportHumanUser;
  metadata: { key: string; value: string }[];
  state: UserState;
  /** Set when the user had a password that was dropped by policy: ask them to reset it. */
  passwordResetRequired?: boolean;
  /** Set when `user.hashedPassword` is absent: why (sinks count `written.without-password.<cause>`). */
  withoutPassword?: WithoutPasswordCause;
}

export interface ImportDataOrg {
  orgId: string;
  org?: { name: string };
  humanUsers?: { userId: string; user: ImportHumanUser; state?: UserState }[];
  userMetadata?: ImportMetadataEntry[];
}

export interface ImportDataRequest {
  dataOrgs: { orgs: ImportDataOrg[] };
  /** Go duration string, e.g. "5m0s". Required. */
  timeout: string;
}

export interface ImportDataError {
  type: 'org' | 'human_user' | 'user_metadata' | string;
  id: string;
  /** `ID=<error id> Message=<i18n key>` */
  message: string;
}

export interface ImportDataResponse {
  errors?: ImportDataError[];
  success?: {
    orgs?: { orgId: string; humanUserIds?: string[]; userMetadata?: { userId: string; key: string }[] }[];
  };
}

/** The error body of every gRPC-gateway route. */
export interface ZitadelErrorBody {
  code: number;
  message: string;
  details?: { '@type': string; id?: string; message?: string }[];
}
