// The v2 User Service's human-user input (AddHumanUser and CreateUser share it): JSON to typed
// data, then PGV's rules with the type names ZITADEL's messages carry.
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
import {
  checkByteLength,
  checkEmailAddress,
  checkLength,
  checkRequired,
  embedded,
  firstViolation,
  RuleViolation,
} from '../validation/pgv-rules.js';
import type { EmailVerification, PhoneVerification } from './creation-events.js';
import { GENDERS, type HumanData, type HumanProfile, type MetadataValue } from './human-user.js';

/** SetHumanEmail (proto/zitadel/user/v2/email.proto) as sent. */
export interface V2EmailInput {
  email?: string;
  isVerified?: boolean;
  verification?: EmailVerification;
}

/** SetHumanPhone (proto/zitadel/user/v2/phone.proto) as sent. */
export interface V2PhoneInput {
  phone?: string;
  isVerified?: boolean;
  verification?: PhoneVerification;
}

/** The `password_type` oneof shared by AddHumanUser, CreateUser and SetPassword. */
export interface V2PasswordTypes {
  password?: { password?: string; changeRequired?: boolean };
  hashedPassword?: { hash?: string; changeRequired?: boolean };
}

/** IDPLink (proto/zitadel/user/v2/idp.proto) as sent. */
export interface V2IdpLinkInput {
  idpId?: string;
  userId?: string;
  userName?: string;
}

/** A v2 human user as sent, before validation (fields may be missing). */
export interface V2HumanInput {
  profile?: Partial<HumanProfile>;
  email?: V2EmailInput;
  phone?: V2PhoneInput;
  hashedPassword?: V2PasswordTypes['hashedPassword'];
  password?: V2PasswordTypes['password'];
  idpLinks: V2IdpLinkInput[];
  totpSecret?: string;
}

/** Reads the human fields from `source` (the request for AddHumanUser, `human` for CreateUser). */
export function readV2Human(source: JsonObject, path: string): V2HumanInput {
  const profile = readMessage(source, 'profile', path);
  const email = readMessage(source, 'email', path);
  const phone = readMessage(source, 'phone', path);
  return {
    profile: profile && readV2Profile(profile, `${path}.profile`),
    email: email && readV2Email(email, `${path}.email`),
    phone: phone && readV2Phone(phone, `${path}.phone`),
    ...readV2PasswordTypes(source, path),
    idpLinks: readMessageList(source, 'idpLinks', path).map((link, index) => readV2IdpLink(link, `${path}.idpLinks[${index}]`)),
    totpSecret: readString(source, 'totpSecret', path) || undefined,
  };
}

/** A profile message (SetHumanProfile, UpdateUserRequest.Human.Profile): fields not sent stay undefined. */
export function readV2Profile(profile: JsonObject, path: string): Partial<HumanProfile> {
  return {
    givenName: readString(profile, 'givenName', path),
    familyName: readString(profile, 'familyName', path),
    nickName: readString(profile, 'nickName', path),
    displayName: readString(profile, 'displayName', path),
    preferredLanguage: readString(profile, 'preferredLanguage', path),
    gender: readEnum(profile, 'gender', path, GENDERS),
  };
}

/** The `password` / `hashed_password` members of `source`. */
export function readV2PasswordTypes(source: JsonObject, path: string): V2PasswordTypes {
  const password = readMessage(source, 'password', path);
  const hashed = readMessage(source, 'hashedPassword', path);
  return {
    password: password && {
      password: readString(password, 'password', `${path}.password`),
      changeRequired: readBool(password, 'changeRequired', `${path}.password`),
    },
    hashedPassword: hashed && {
      hash: readString(hashed, 'hash', `${path}.hashedPassword`),
      changeRequired: readBool(hashed, 'changeRequired', `${path}.hashedPassword`),
    },
  };
}

/** An IDPLink message. */
export function readV2IdpLink(link: JsonObject, path: string): V2IdpLinkInput {
  return { idpId: readString(link, 'idpId', path), userId: readString(link, 'userId', path), userName: readString(link, 'userName', path) };
}

/** IDPLink's rules: each field 1–200. */
export function validateIdpLink(link: V2IdpLinkInput): RuleViolation | undefined {
  return firstViolation(
    () => checkLength('IDPLink', 'IdpId', link.idpId, 1, 200),
    () => checkLength('IDPLink', 'UserId', link.userId, 1, 200),
    () => checkLength('IDPLink', 'UserName', link.userName, 1, 200),
  );
}

/** A SetHumanEmail message. */
export function readV2Email(email: JsonObject, path: string): V2EmailInput {
  return {
    email: readString(email, 'email', path),
    isVerified: readBool(email, 'isVerified', path),
    verification: readEmailVerification(email, path),
  };
}

/** A SetHumanPhone message. */
export function readV2Phone(phone: JsonObject, path: string): V2PhoneInput {
  return {
    phone: readString(phone, 'phone', path),
    isVerified: readBool(phone, 'isVerified', path),
    verification: readPhoneVerification(phone, path),
  };
}

/** The one member of a oneof that is set, or undefined; two set is protojson's error. */
function oneofMember(message: JsonObject, members: readonly string[], oneofName: string): string | undefined {
  const set = members.filter((member) => message[member] !== undefined && message[member] !== null);
  if (set.length > 1) throw invalidArgument(`proto: error parsing ${JSON.stringify(set[1])}, oneof ${oneofName} is already set`);
  return set[0];
}

/** SetHumanEmail.verification (proto/zitadel/user/v2/email.proto). */
function readEmailVerification(email: JsonObject, path: string): EmailVerification {
  const member = oneofMember(email, ['sendCode', 'returnCode', 'isVerified'], 'zitadel.user.v2.SetHumanEmail.verification');
  if (member === 'sendCode') {
    const sendCode = readMessage(email, 'sendCode', path) ?? {};
    return { kind: 'sendCode', urlTemplate: readString(sendCode, 'urlTemplate', `${path}.sendCode`) };
  }
  if (member === 'returnCode') {
    readMessage(email, 'returnCode', path);
    return { kind: 'returnCode' };
  }
  if (member === 'isVerified') return { kind: 'isVerified', value: readBool(email, 'isVerified', path) ?? false };
  return { kind: 'default' };
}

/** SetHumanPhone.verification (proto/zitadel/user/v2/phone.proto). */
function readPhoneVerification(phone: JsonObject, path: string): PhoneVerification {
  const member = oneofMember(phone, ['sendCode', 'returnCode', 'isVerified'], 'zitadel.user.v2.SetHumanPhone.verification');
  if (member === 'sendCode' || member === 'returnCode') {
    readMessage(phone, member, path);
    return { kind: member };
  }
  // The value is checked by the proto rule (bool.const = true) in validateV2Human.
  return member === 'isVerified' ? { kind: 'isVerified' } : { kind: 'default' };
}

/** Reads `metadata: [{key, value(base64)}]`. */
export function readV2Metadata(source: JsonObject, path: string): MetadataValue[] {
  return readMessageList(source, 'metadata', path).map((entry, index) => ({
    key: readString(entry, 'key', `${path}.metadata[${index}]`) ?? '',
    value: readBytes(entry, 'value', `${path}.metadata[${index}]`) ?? Buffer.alloc(0),
  }));
}

/** The first rule the human fields break; `type` is the message holding them. */
export function validateV2Human(type: string, human: V2HumanInput): RuleViolation | undefined {
  const { profile, email, phone, hashedPassword, password } = human;
  return firstViolation(
    () => checkRequired(type, 'Profile', profile),
    () =>
      embedded(
        type,
        'Profile',
        profile &&
          firstViolation(
            () => checkLength('SetHumanProfile', 'GivenName', profile.givenName, 1, 200),
            () => checkLength('SetHumanProfile', 'FamilyName', profile.familyName, 1, 200),
            () => checkLength('SetHumanProfile', 'NickName', profile.nickName, 0, 200),
            () => checkLength('SetHumanProfile', 'DisplayName', profile.displayName, 0, 200),
            () => checkLength('SetHumanProfile', 'PreferredLanguage', profile.preferredLanguage, 0, 10),
          ),
      ),
    () => checkRequired(type, 'Email', email),
    () => embedded(type, 'Email', email && validateSetHumanEmail(email)),
    () => embedded(type, 'Phone', phone && validateSetHumanPhone(phone)),
    () => validatePasswordTypes(type, { password, hashedPassword }),
    ...human.idpLinks.map((link, index) => () => embedded(type, `IdpLinks[${index}]`, validateIdpLink(link))),
  );
}

/** SetHumanEmail's rules: the address (PGV `string.email`) and the send_code URL template. */
export function validateSetHumanEmail(email: V2EmailInput): RuleViolation | undefined {
  return firstViolation(
    () => checkLength('SetHumanEmail', 'Email', email.email, 1, 200),
    () => checkEmailAddress('SetHumanEmail', 'Email', email.email ?? ''),
    () =>
      email.verification?.kind === 'sendCode' && email.verification.urlTemplate !== undefined
        ? embedded('SetHumanEmail', 'SendCode', checkLength('SendEmailVerificationCode', 'UrlTemplate', email.verification.urlTemplate, 1, 200))
        : undefined,
  );
}

/** SetHumanPhone's rules. */
export function validateSetHumanPhone(phone: V2PhoneInput): RuleViolation | undefined {
  return firstViolation(
    () => checkLength('SetHumanPhone', 'Phone', phone.phone, 0, 200),
    // `bool is_verified = 4 [(validate.rules).bool.const = true]`: sending false fails the whole call.
    () =>
      phone.verification?.kind === 'isVerified' && phone.isVerified !== true
        ? new RuleViolation('invalid SetHumanPhone.IsVerified: value must equal true')
        : undefined,
  );
}

/** The rules of `password` / `hashed_password` in message `type`. */
export function validatePasswordTypes(type: string, { password, hashedPassword }: V2PasswordTypes): RuleViolation | undefined {
  return firstViolation(
    () => embedded(type, 'HashedPassword', hashedPassword && checkLength('HashedPassword', 'Hash', hashedPassword.hash, 1, 200)),
    () => embedded(type, 'Password', password && checkLength('Password', 'Password', password.password, 1, 200)),
  );
}

/**
 * The metadata entries of message `type`: SetMetadataEntry (AddHumanUser: value 1–500,000 bytes)
 * or Metadata (CreateUser, UpdateUser, SetUserMetadata: value at most 500,000 bytes, empty = remove).
 */
export function validateMetadataEntries(
  type: string,
  metadata: readonly MetadataValue[],
  entryType: 'SetMetadataEntry' | 'Metadata' = 'SetMetadataEntry',
): RuleViolation | undefined {
  const minValueBytes = entryType === 'SetMetadataEntry' ? 1 : 0;
  return firstViolation(
    ...metadata.map((entry, index) => () =>
      embedded(
        type,
        `Metadata[${index}]`,
        firstViolation(
          () => checkLength(entryType, 'Key', entry.key, 1, 200),
          () => checkByteLength(entryType, 'Value', entry.value, minValueBytes, 500_000),
        ),
      ),
    ),
  );
}

/** The stored form of validated human fields; AddHuman.Validate trims the names (internal/command/user_human.go). */
export function toHumanData(human: V2HumanInput): HumanData {
  const profile = human.profile!;
  return {
    profile: {
      givenName: profile.givenName!.trim(),
      familyName: profile.familyName!.trim(),
      nickName: profile.nickName || undefined,
      displayName: profile.displayName || undefined,
      preferredLanguage: profile.preferredLanguage || undefined,
      gender: profile.gender,
    },
    email: { email: human.email!.email!, isVerified: human.email!.isVerified },
    phone: human.phone?.phone ? { phone: human.phone.phone, isVerified: human.phone.isVerified } : undefined,
    idpLinks: human.idpLinks.length
      ? human.idpLinks.map((link) => ({ idpId: link.idpId!, userId: link.userId!, userName: link.userName }))
      : undefined,
    hasOtp: human.totpSecret ? true : undefined,
  };
}
