// UpdateUserRequest and the deprecated UpdateHumanUserRequest (proto/zitadel/user/v2/user_service.proto)
// from JSON, with their PGV rules, turned into ChangeUserHuman's input as
// internal/api/grpc/user/v2/human.go does (updateHumanUserToCommand, updateHumanUserRequestToChangeHuman).
import { zitadelError, GrpcCode } from '../http/api-error.js';
import { type JsonObject, readMessage, readString } from '../http/protojson.js';
import { checkLength, embedded, firstViolation, rejectViolation, type RuleViolation } from '../validation/pgv-rules.js';
import type { ChangeHumanInput, PasswordInput } from './change-user-human.js';
import type { EmailChange, PhoneChange } from './human-change.js';
import {
  readV2Email,
  readV2PasswordTypes,
  readV2Phone,
  readV2Metadata,
  readV2Profile,
  type V2EmailInput,
  type V2PasswordTypes,
  type V2PhoneInput,
  validateMetadataEntries,
  validatePasswordTypes,
  validateSetHumanEmail,
  validateSetHumanPhone,
} from './parse-v2-user.js';

interface PasswordMessage extends V2PasswordTypes {
  currentPassword?: string;
  verificationCode?: string;
}

/** SetPassword (proto/zitadel/user/v2/password.proto). */
function readPassword(message: JsonObject, path: string): PasswordMessage {
  return {
    ...readV2PasswordTypes(message, path),
    currentPassword: readString(message, 'currentPassword', path),
    verificationCode: readString(message, 'verificationCode', path),
  };
}

function validatePassword(password: PasswordMessage): RuleViolation | undefined {
  return firstViolation(
    () => validatePasswordTypes('SetPassword', password),
    () => (password.currentPassword === undefined ? undefined : checkLength('SetPassword', 'CurrentPassword', password.currentPassword, 1, 200)),
    () => (password.verificationCode === undefined ? undefined : checkLength('SetPassword', 'VerificationCode', password.verificationCode, 1, 20)),
  );
}

/** setHumanPasswordToPassword: changeRequired of either password type. */
function toPasswordInput(password: PasswordMessage): PasswordInput {
  return {
    password: password.password?.password || undefined,
    hash: password.hashedPassword?.hash || undefined,
    changeRequired: Boolean(password.password?.changeRequired || password.hashedPassword?.changeRequired),
    currentPassword: password.currentPassword || undefined,
    verificationCode: password.verificationCode || undefined,
  };
}

/** setHumanEmailToEmail: `isVerified` and `returnCode` from the oneof, the URL template of `sendCode`. */
function toEmailChange(email: V2EmailInput): EmailChange {
  const verification = email.verification;
  return {
    email: email.email ?? '',
    isVerified: verification?.kind === 'isVerified' && verification.value,
    returnCode: verification?.kind === 'returnCode',
    urlTemplate: verification?.kind === 'sendCode' ? verification.urlTemplate : undefined,
  };
}

/** setHumanPhoneToPhone: an empty number removes the phone on UpdateUser only (`withRemove`). */
function toPhoneChange(phone: V2PhoneInput, withRemove: boolean): PhoneChange {
  const number = phone.phone ?? '';
  return {
    phone: number,
    isVerified: phone.verification?.kind === 'isVerified',
    returnCode: phone.verification?.kind === 'returnCode',
    remove: withRemove && number === '',
  };
}

/** The human parts of an update request, read from `source` (UpdateUserRequest.human, or UpdateHumanUserRequest itself). */
function readHumanParts(source: JsonObject | undefined, path: string) {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const profile = source && readMessage(source, 'profile', path);
  const email = source && readMessage(source, 'email', path);
  const phone = source && readMessage(source, 'phone', path);
  const password = source && readMessage(source, 'password', path);
  return {
    profile: profile && readV2Profile(profile, at('profile')),
    email: email && readV2Email(email, at('email')),
    phone: phone && readV2Phone(phone, at('phone')),
    password: password && readPassword(password, at('password')),
  };
}

function validateUserId(type: string, userId: string): RuleViolation | undefined {
  return checkLength(type, 'UserId', userId, 1, 200);
}

/** `PATCH /v2/users/{user_id}` (UpdateUser): the human part, the user name and metadata. */
export function readUpdateUserRequest(body: JsonObject, userId: string): ChangeHumanInput {
  const username = readString(body, 'username', '');
  const metadata = readV2Metadata(body, '');
  const human = readMessage(body, 'human', '');
  const machine = readMessage(body, 'machine', '');
  const { profile: profileChange, email, phone, password } = readHumanParts(human, 'human');
  const profileType = 'UpdateUserRequest_Human_Profile';
  rejectViolation(
    firstViolation(
      () => validateUserId('UpdateUserRequest', userId),
      () => (username === undefined ? undefined : checkLength('UpdateUserRequest', 'Username', username, 1, 200)),
      () =>
        embedded(
          'UpdateUserRequest',
          'Human',
          firstViolation(
            () =>
              embedded(
                'UpdateUserRequest_Human',
                'Profile',
                profileChange &&
                  firstViolation(
                    ...(['GivenName', 'FamilyName', 'NickName', 'DisplayName'] as const).map((field) => () => {
                      const value = profileChange[(field[0].toLowerCase() + field.slice(1)) as 'givenName'];
                      return value === undefined ? undefined : checkLength(profileType, field, value, 1, 200);
                    }),
                    () => (profileChange.preferredLanguage === undefined ? undefined : checkLength(profileType, 'PreferredLanguage', profileChange.preferredLanguage, 1, 10)),
                  ),
              ),
            () => embedded('UpdateUserRequest_Human', 'Email', email && validateSetHumanEmail(email)),
            () => embedded('UpdateUserRequest_Human', 'Phone', phone && validateSetHumanPhone(phone)),
            () => embedded('UpdateUserRequest_Human', 'Password', password && validatePassword(password)),
          ),
        ),
      () => validateMetadataEntries('UpdateUserRequest', metadata, 'Metadata'),
    ),
  );
  if (!human) {
    // UpdateUser's switch on user_type: machines are not emulated; neither set is Unimplemented.
    throw zitadelError(GrpcCode.Unimplemented, '', machine ? 'machine users are not emulated' : 'user type is not implemented');
  }
  // updateHumanUserToCommand: an empty phone with a verification cannot be "verified away".
  if (phone && !phone.phone && phone.verification && phone.verification.kind !== 'default') {
    throw zitadelError(GrpcCode.InvalidArgument, 'USERv2-4f3d6', 'Errors.User.Phone.VerifyingRemovalIsNotSupported');
  }
  return {
    username,
    profile: profileChange,
    email: email && toEmailChange(email),
    phone: phone && toPhoneChange(phone, true),
    password: password && toPasswordInput(password),
    metadata,
  };
}

/** `PUT /v2/users/human/{user_id}` (UpdateHumanUser, deprecated): SetHumanProfile, no metadata, no phone removal. */
export function readUpdateHumanUserRequest(body: JsonObject, userId: string): ChangeHumanInput {
  const username = readString(body, 'username', '');
  const { profile: profileChange, email, phone, password } = readHumanParts(body, '');
  rejectViolation(
    firstViolation(
      () => validateUserId('UpdateHumanUserRequest', userId),
      () => (username === undefined ? undefined : checkLength('UpdateHumanUserRequest', 'Username', username, 1, 200)),
      () =>
        embedded(
          'UpdateHumanUserRequest',
          'Profile',
          profileChange &&
            firstViolation(
              () => checkLength('SetHumanProfile', 'GivenName', profileChange.givenName, 1, 200),
              () => checkLength('SetHumanProfile', 'FamilyName', profileChange.familyName, 1, 200),
              () => checkLength('SetHumanProfile', 'NickName', profileChange.nickName, 0, 200),
              () => checkLength('SetHumanProfile', 'DisplayName', profileChange.displayName, 0, 200),
              () => checkLength('SetHumanProfile', 'PreferredLanguage', profileChange.preferredLanguage, 0, 10),
            ),
        ),
      () => embedded('UpdateHumanUserRequest', 'Email', email && validateSetHumanEmail(email)),
      () => embedded('UpdateHumanUserRequest', 'Phone', phone && validateSetHumanPhone(phone)),
      () => embedded('UpdateHumanUserRequest', 'Password', password && validatePassword(password)),
    ),
  );
  return {
    username,
    // updateHumanUserRequestToChangeHuman: empty names are "not sent".
    profile: profileChange && { ...profileChange, givenName: profileChange.givenName || undefined, familyName: profileChange.familyName || undefined },
    email: email && toEmailChange(email),
    phone: phone && toPhoneChange(phone, false),
    password: password && toPasswordInput(password),
    metadata: [],
  };
}
