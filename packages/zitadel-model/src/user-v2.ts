// The User Service v2 and Session Service shapes idflow uses (REST, camelCase).

import type { Gender } from './import-data.js';

export interface V2Profile {
  givenName: string;
  familyName: string;
  nickName?: string;
  displayName?: string;
  preferredLanguage?: string;
  gender?: Gender;
}

/** `HumanEmail` as ListUsers answers it. */
export interface V2Email {
  email: string;
  isVerified?: boolean;
}

/** `HumanPhone` as ListUsers answers it. */
export interface V2Phone {
  phone: string;
  isVerified?: boolean;
}

/**
 * `SetHumanEmail` (proto/zitadel/user/v2/email.proto): at most one of the `verification` oneof.
 * None → ZITADEL creates a code and sends the verification e-mail; `returnCode` → the code is
 * created and returned, nothing is sent; `isVerified` (true or false) → no code at all
 * (`addUserRequestEmailToCommand`, internal/api/grpc/user/v2/user.go).
 */
export interface SetHumanEmail {
  email: string;
  isVerified?: boolean;
  returnCode?: Record<string, never>;
  sendCode?: { urlTemplate?: string };
}

/**
 * `SetHumanPhone` (proto/zitadel/user/v2/phone.proto): `isVerified` has `bool.const = true`, so
 * only `true` may be sent; `returnCode` creates a code without sending an SMS; none sends one.
 */
export interface SetHumanPhone {
  phone: string;
  isVerified?: true;
  returnCode?: Record<string, never>;
}

export interface V2Metadata {
  key: string;
  /** base64, at most 500,000 bytes decoded */
  value: string;
}

export interface V2IdpLink {
  idpId: string;
  userId: string;
  userName: string;
}

/** `POST /v2/users/human` (AddHumanUser). */
export interface AddHumanUserRequest {
  userId?: string;
  username?: string;
  organization: { orgId: string };
  profile: V2Profile;
  email: SetHumanEmail;
  phone?: SetHumanPhone;
  metadata?: V2Metadata[];
  hashedPassword?: { hash: string; changeRequired?: boolean };
  idpLinks?: V2IdpLink[];
}

export interface AddHumanUserResponse {
  userId: string;
  details: { sequence: string; changeDate: string; resourceOwner: string };
  /** Set when the request asked for `email.returnCode`. Never logged. */
  emailCode?: string;
  phoneCode?: string;
}

/** `POST /v2/users/new` (CreateUser). */
export interface CreateUserRequest {
  organizationId: string;
  userId?: string;
  username?: string;
  human: {
    profile: V2Profile;
    email: SetHumanEmail;
    phone?: SetHumanPhone;
    hashedPassword?: { hash: string; changeRequired?: boolean };
    idpLinks?: V2IdpLink[];
  };
  metadata?: V2Metadata[];
}

export interface CreateUserResponse {
  id: string;
  creationDate: string;
}

export type TextQueryMethod =
  | 'TEXT_QUERY_METHOD_EQUALS'
  | 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE'
  | 'TEXT_QUERY_METHOD_STARTS_WITH'
  | 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE'
  | 'TEXT_QUERY_METHOD_CONTAINS'
  | 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE'
  | 'TEXT_QUERY_METHOD_ENDS_WITH'
  | 'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE';

export type UserSearchQuery =
  | { userIdQuery: { userId: string } }
  | { inUserIdsQuery: { userIds: string[] } }
  | { userNameQuery: { userName: string; method?: TextQueryMethod } }
  | { emailQuery: { emailAddress: string; method?: TextQueryMethod } };

/** `POST /v2/users` (ListUsers). */
export interface ListUsersRequest {
  query?: { offset?: string | number; limit?: number; asc?: boolean };
  queries?: UserSearchQuery[];
}

/** The states ListUsers answers (`zitadel.user.v2.UserState`). */
export type V2UserState =
  | 'USER_STATE_UNSPECIFIED'
  | 'USER_STATE_ACTIVE'
  | 'USER_STATE_INACTIVE'
  | 'USER_STATE_DELETED'
  | 'USER_STATE_LOCKED'
  | 'USER_STATE_INITIAL';

export interface V2User {
  userId: string;
  username: string;
  state: V2UserState | string;
  loginNames?: string[];
  preferredLoginName?: string;
  details?: { sequence?: string; changeDate?: string; resourceOwner?: string };
  human?: { profile?: V2Profile; email?: V2Email; phone?: V2Phone; passwordChangeRequired?: boolean };
}

export interface ListUsersResponse {
  details: { totalResult: string; timestamp?: string };
  result?: V2User[];
}

/** `POST /v2/sessions` with user and password checks. */
export interface CreateSessionRequest {
  checks: {
    user?: { loginName?: string; userId?: string };
    password?: { password: string };
  };
}

export interface CreateSessionResponse {
  sessionId: string;
  sessionToken: string;
  details: { sequence?: string; changeDate?: string; resourceOwner?: string };
}
