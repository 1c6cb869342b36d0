// The v2 User Service's human-user input (AddHumanUser and CreateUser share it): JSON to typed
// data, then PGV's rules with the type names ZITADEL's messages carry.
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
import { GENDERS, type HumanData, type MetadataValue } from './human-user.js';

/** A v2 human user as sent, before validation (fields may be missing). */
export interface V2HumanInput {
  profile?: {
    givenName?: string;
    familyName?: string;
    nickName?: string;
    displayName?: string;
    preferredLanguage?: string;
    gender?: Gender;
  };
  email?: { email?: string; isVerified?: boolean; verification?: EmailVerification };
  phone?: { phone?: string; isVerified?: boolean; verification?: PhoneVerification };
  hashedPassword?: { hash?: string; changeRequired?: boolean };
  password?: { password?: string; changeRequired?: boolean };
  idpLinks: { idpId?: string; userId?: string; userName?: string }[];
  totpSecret?: string;
}

/** Reads the human fields from `source` (the request for AddHumanUser, `human` for CreateUser). */
export function readV2Human(source: JsonObject, path: string): V2HumanInput {
  const profile = readMessage(source, 'profile', path);
  const email = readMessage(source, 'email', path);
  const phone = readMessage(source, 'phone', path);
  const hashed = readMessage(source, 'hashedPassword', path);
  const password = readMessage(source, 'password', path);
  return {
    profile: profile && {
      givenName: readString(profile, 'givenName', `${path}.profile`),
      familyName: readString(profile, 'familyName', `${path}.profile`),
      nickName: readString(profile, 'nickName', `${path}.profile`),
      displayName: readString(profile, 'displayName', `${path}.profile`),
      preferredLanguage: readString(profile, 'preferredLanguage', `${path}.profile`),
      gender: readEnum(profile, 'gender', `${path}.profile`, GENDERS),
    },
    email: email && {
      email: readString(email, 'email', `${path}.email`),
      isVerified: readBool(email, 'isVerified', `${path}.email`),
      verification: readEmailVerification(email, `${path}.email`),
    },
    phone: phone && {
      phone: readString(phone, 'phone', `${path}.phone`),
      isVerified: readBool(phone, 'isVerified', `${path}.phone`),
      verification: readPhoneVerification(phone, `${path}.phone`),
    },
    hashedPassword: hashed && {
      hash: readString(hashed, 'hash', `${path}.hashedPassword`),
      changeRequired: readBool(hashed, 'changeRequired', `${path}.hashedPassword`),
    },
    password: password && {
      password: readString(password, 'password', `${path}.password`),
      changeRequired: readBool(password, 'changeRequired', `${path}.password`),
    },
    idpLinks: readMessageList(source, 'idpLinks', path).map((link, index) => ({
      idpId: readString(link, 'idpId', `${path}.idpLinks[${index}]`),
      userId: readString(link, 'userId', `${path}.idpLinks[${index}]`),
      userName: readString(link, 'userName', `${path}.idpLinks[${index}]`),
    })),
    totpSecret: readString(source, 'totpSecret', path) || undefined,
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
    () =>
      embedded(
        type,
        'Email',
        email &&
          firstViolation(
            () => checkLength('SetHumanEmail', 'Email', email.email, 1, 200),
            () => checkEmailAddress('SetHumanEmail', 'Email', email.email ?? ''),
            () =>
              email.verification?.kind === 'sendCode' && email.verification.urlTemplate !== undefined
                ? embedded(
                    'SetHumanEmail',
                    'SendCode',
                    checkLength('SendEmailVerificationCode', 'UrlTemplate', email.verification.urlTemplate, 1, 200),
                  )
                : undefined,
          ),
      ),
    () =>
      embedded(
        type,
        'Phone',
        phone &&
          firstViolation(
            () => checkLength('SetHumanPhone', 'Phone', phone.phone, 0, 200),
            // `bool is_verified = 4 [(validate.rules).bool.const = true]`: sending false fails the whole call.
            () =>
              phone.verification?.kind === 'isVerified' && phone.isVerified !== true
                ? new RuleViolation('invalid SetHumanPhone.IsVerified: value must equal true')
                : undefined,
          ),
      ),
    () => embedded(type, 'HashedPassword', hashedPassword && checkLength('HashedPassword', 'Hash', hashedPassword.hash, 1, 200)),
    () => embedded(type, 'Password', password && checkLength('Password', 'Password', password.password, 1, 200)),
    ...human.idpLinks.map((link, index) => () =>
      embedded(
        type,
        `IdpLinks[${index}]`,
        firstViolation(
          () => checkLength('IDPLink', 'IdpId', link.idpId, 1, 200),
          () => checkLength('IDPLink', 'UserId', link.userId, 1, 200),
          () => checkLength('IDPLink', 'UserName', link.userName, 1, 200),
        ),
      ),
    ),
  );
}

export function validateV2Metadata(type: string, metadata: MetadataValue[]): RuleViolation | undefined {
  return firstViolation(
    ...metadata.map((entry, index) => () =>
      embedded(
        type,
        `Metadata[${index}]`,
        firstViolation(
          () => checkLength('SetMetadataEntry', 'Key', entry.key, 1, 200),
          () => checkByteLength('SetMetadataEntry', 'Value', entry.value, 1, 500_000),
        ),
      ),
    ),
  );
}

/** The stored form of validated human fields. */
export function toHumanData(human: V2HumanInput): HumanData {
  const profile = human.profile!;
  return {
    profile: {
      givenName: profile.givenName!,
      familyName: profile.familyName!,
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
