// `ImportDataRequest` from JSON to typed data, then the whole-request validation ZITADEL runs
// before importing anything: one bad field anywhere rejects the entire request with 400 / code 3.
// Messages name the types of ZITADEL's admin.proto, as PGV does: ImportDataRequest.DataOrgs →
// ImportDataOrg.Orgs → DataOrg.HumanUsers → DataHumanUser.User → ImportHumanUserRequest.
import type { Gender } from '@idflow/zitadel-model';
import { invalidArgument } from '../http/api-error.js';
import {
  type JsonObject,
  readBool,
  readBytes,
  readEnum,
  readMessage,
  readMessageList,
  readString,
} from '../http/protojson.js';
import { GENDERS } from '../users/human-user.js';
import { USER_STATES, type UserState } from '../users/user-events.js';
import {
  checkByteLength,
  checkLength,
  checkPrefix,
  checkRequired,
  embedded,
  firstViolation,
  type RuleViolation,
  rejectViolation,
} from '../validation/pgv-rules.js';

export interface ImportUserInput {
  userId: string;
  userName?: string;
  profile?: {
    firstName?: string;
    lastName?: string;
    nickName?: string;
    displayName?: string;
    preferredLanguage?: string;
    gender?: Gender;
  };
  email?: { email?: string; isEmailVerified?: boolean };
  phone?: { phone?: string; isPhoneVerified?: boolean };
  password?: string;
  hashedPassword?: string;
  passwordChangeRequired: boolean;
  requestPasswordlessRegistration: boolean;
  otpCode?: string;
  idps: { configId?: string; externalUserId?: string; displayName?: string }[];
  /** DataHumanUser.state; UNSPECIFIED when not sent. */
  state: UserState;
}

export interface ImportMetadataInput {
  userId: string;
  key: string;
  value: Buffer;
}

export interface ImportOrgInput {
  orgId: string;
  orgName?: string;
  users: ImportUserInput[];
  metadata: ImportMetadataInput[];
}

export interface ImportRequest {
  /** The `timeout` text, parsed by the handler after validation (time.ParseDuration in ImportData). */
  timeout: string;
  orgs: ImportOrgInput[];
}

function parseUser(entry: JsonObject, path: string): ImportUserInput {
  const user = readMessage(entry, 'user', path) ?? {};
  const userPath = `${path}.user`;
  const profile = readMessage(user, 'profile', userPath);
  const email = readMessage(user, 'email', userPath);
  const phone = readMessage(user, 'phone', userPath);
  const hashed = readMessage(user, 'hashedPassword', userPath);
  const state = readEnum(entry, 'state', path, USER_STATES);
  return {
    userId: readString(entry, 'userId', path) ?? '',
    userName: readString(user, 'userName', userPath),
    profile: profile && {
      firstName: readString(profile, 'firstName', `${userPath}.profile`),
      lastName: readString(profile, 'lastName', `${userPath}.profile`),
      nickName: readString(profile, 'nickName', `${userPath}.profile`),
      displayName: readString(profile, 'displayName', `${userPath}.profile`),
      preferredLanguage: readString(profile, 'preferredLanguage', `${userPath}.profile`),
      gender: readEnum(profile, 'gender', `${userPath}.profile`, GENDERS),
    },
    email: email && {
      email: readString(email, 'email', `${userPath}.email`),
      isEmailVerified: readBool(email, 'isEmailVerified', `${userPath}.email`),
    },
    phone: phone && {
      phone: readString(phone, 'phone', `${userPath}.phone`),
      isPhoneVerified: readBool(phone, 'isPhoneVerified', `${userPath}.phone`),
    },
    password: readString(user, 'password', userPath) || undefined,
    hashedPassword: (hashed && readString(hashed, 'value', `${userPath}.hashedPassword`)) || undefined,
    passwordChangeRequired: readBool(user, 'passwordChangeRequired', userPath) ?? false,
    requestPasswordlessRegistration: readBool(user, 'requestPasswordlessRegistration', userPath) ?? false,
    otpCode: readString(user, 'otpCode', userPath) || undefined,
    idps: readMessageList(user, 'idps', userPath).map((idp, index) => ({
      configId: readString(idp, 'configId', `${userPath}.idps[${index}]`),
      externalUserId: readString(idp, 'externalUserId', `${userPath}.idps[${index}]`),
      displayName: readString(idp, 'displayName', `${userPath}.idps[${index}]`),
    })),
    state: state ?? 'USER_STATE_UNSPECIFIED',
  };
}

function parseOrg(org: JsonObject, path: string): ImportOrgInput {
  const orgMessage = readMessage(org, 'org', path);
  return {
    orgId: readString(org, 'orgId', path) ?? '',
    orgName: orgMessage ? (readString(orgMessage, 'name', `${path}.org`) ?? '') : undefined,
    users: readMessageList(org, 'humanUsers', path).map((user, index) => parseUser(user, `${path}.humanUsers[${index}]`)),
    metadata: readMessageList(org, 'userMetadata', path).map((entry, index) => {
      const entryPath = `${path}.userMetadata[${index}]`;
      return {
        userId: readString(entry, 'id', entryPath) ?? '',
        key: readString(entry, 'key', entryPath) ?? '',
        value: readBytes(entry, 'value', entryPath) ?? Buffer.alloc(0),
      };
    }),
  };
}

const USER_TYPE = 'ImportHumanUserRequest';

function validateUser(user: ImportUserInput): RuleViolation | undefined {
  const { profile, email, phone } = user;
  const profileType = `${USER_TYPE}_Profile`;
  return firstViolation(
    () => checkLength(USER_TYPE, 'UserName', user.userName, 1, 200),
    () => checkRequired(USER_TYPE, 'Profile', profile),
    () =>
      embedded(
        USER_TYPE,
        'Profile',
        profile &&
          firstViolation(
            () => checkLength(profileType, 'FirstName', profile.firstName, 1, 200),
            () => checkLength(profileType, 'LastName', profile.lastName, 1, 200),
            () => checkLength(profileType, 'NickName', profile.nickName, 0, 200),
            () => checkLength(profileType, 'DisplayName', profile.displayName, 0, 200),
            () => checkLength(profileType, 'PreferredLanguage', profile.preferredLanguage, 0, 10),
          ),
      ),
    () => checkRequired(USER_TYPE, 'Email', email),
    () => embedded(USER_TYPE, 'Email', email && checkLength(`${USER_TYPE}_Email`, 'Email', email.email, 1, 200)),
    () =>
      embedded(
        USER_TYPE,
        'Phone',
        phone &&
          firstViolation(
            () => checkLength(`${USER_TYPE}_Phone`, 'Phone', phone.phone, 1, 50),
            () => checkPrefix(`${USER_TYPE}_Phone`, 'Phone', phone.phone, '+'),
          ),
      ),
    ...user.idps.map((idp, index) => () =>
      embedded(
        USER_TYPE,
        `Idps[${index}]`,
        firstViolation(
          () => checkLength(`${USER_TYPE}_IDP`, 'ConfigId', idp.configId, 1, 200),
          () => checkLength(`${USER_TYPE}_IDP`, 'ExternalUserId', idp.externalUserId, 1, 200),
          () => checkLength(`${USER_TYPE}_IDP`, 'DisplayName', idp.displayName, 0, 200),
        ),
      ),
    ),
  );
}

function validateOrg(org: ImportOrgInput): RuleViolation | undefined {
  return firstViolation(
    () => embedded('DataOrg', 'Org', org.orgName === undefined ? undefined : checkLength('AddOrgRequest', 'Name', org.orgName, 1, 200)),
    ...org.users.map((user, index) => () =>
      embedded('DataOrg', `HumanUsers[${index}]`, embedded('DataHumanUser', 'User', validateUser(user))),
    ),
    ...org.metadata.map((entry, index) => () =>
      embedded(
        'DataOrg',
        `UserMetadata[${index}]`,
        firstViolation(
          () => checkLength('SetUserMetadataRequest', 'Id', entry.userId, 1, 200),
          () => checkLength('SetUserMetadataRequest', 'Key', entry.key, 1, 200),
          () => checkByteLength('SetUserMetadataRequest', 'Value', entry.value, 1, 500_000),
        ),
      ),
    ),
  );
}

/** Parses and validates a whole import request; throws the 400 / code 3 error of the first problem. */
export function parseImportRequest(body: JsonObject): ImportRequest {
  const dataOrgs = readMessage(body, 'dataOrgs', '');
  const timeout = readString(body, 'timeout', '') ?? '';
  if (!dataOrgs) {
    throw invalidArgument('invalid ImportDataRequest: dataOrgs is required (the emulator imports no other data shape)');
  }
  const orgs = readMessageList(dataOrgs, 'orgs', 'dataOrgs').map((org, index) => parseOrg(org, `dataOrgs.orgs[${index}]`));
  rejectViolation(
    embedded(
      'ImportDataRequest',
      'DataOrgs',
      firstViolation(...orgs.map((org, index) => () => embedded('ImportDataOrg', `Orgs[${index}]`, validateOrg(org)))),
    ),
  );
  return { timeout, orgs };
}
