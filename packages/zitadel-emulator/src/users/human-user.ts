// The emulator's own record of a human user, shared by the import and the v2 routes, and how it
// renders as a v2 `User` and as the payload of a `user.human.added` event.
import type { Gender, V2Email, V2Phone, V2Profile, V2User } from '@idflow/zitadel-model';
import type { UserEvent, UserState } from './user-events.js';

export const GENDERS: readonly Gender[] = ['GENDER_UNSPECIFIED', 'GENDER_FEMALE', 'GENDER_MALE', 'GENDER_DIVERSE'];

export interface HumanProfile {
  givenName: string;
  familyName: string;
  nickName?: string;
  displayName?: string;
  preferredLanguage?: string;
  gender?: Gender;
}

export interface IdpLink {
  idpId: string;
  userId: string;
  userName?: string;
}

/** Everything about a human that is stored as JSON beside the indexed columns. */
export interface HumanData {
  profile: HumanProfile;
  email: { email: string; isVerified?: boolean };
  phone?: { phone: string; isVerified?: boolean };
  idpLinks?: IdpLink[];
  hasOtp?: boolean;
}

export interface MetadataValue {
  key: string;
  value: Buffer;
}

/**
 * A user about to be written: validated, with its hash already accepted by the hash policy, and
 * the events of its creation (creation-events.ts), which decide its state.
 */
export interface NewHumanUser {
  id: string;
  orgId: string;
  username: string;
  human: HumanData;
  passwordHash?: string;
  passwordChangeRequired: boolean;
  metadata: MetadataValue[];
  events: UserEvent[];
}

/** A user as read back from the store (metadata is read separately). */
export interface StoredHumanUser extends Omit<NewHumanUser, 'metadata' | 'events'> {
  state: UserState;
  sequence: number;
  createdAt: string;
  changedAt: string;
}

/** Usernames are unique instance-wide and case-insensitively, so a login name finds one user. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/**
 * The payload of the `user.human.added` event with HumanAddedEvent's JSON names
 * (internal/repository/user/human.go; gender as a number). Verification is not part of it: it
 * is an event of its own.
 */
export function humanAddedPayload(
  username: string,
  human: HumanData,
  password: { encodedHash: string; changeRequired: boolean } | undefined,
): Record<string, unknown> {
  const { profile, email, phone } = human;
  const payload: Record<string, unknown> = {
    userName: username,
    firstName: profile.givenName,
    lastName: profile.familyName,
    nickName: profile.nickName,
    displayName: profile.displayName ?? `${profile.givenName} ${profile.familyName}`,
    preferredLanguage: profile.preferredLanguage,
    gender: profile.gender ? GENDERS.indexOf(profile.gender) || undefined : undefined,
    email: email.email,
    phone: phone?.phone,
    encodedHash: password?.encodedHash,
    changeRequired: password?.changeRequired || undefined,
  };
  for (const key of Object.keys(payload)) if (payload[key] === undefined || payload[key] === '') delete payload[key];
  return payload;
}

/** A stored user as the v2 User Service returns it (protojson: empty fields left out). */
export function toV2User(user: StoredHumanUser): V2User {
  const { profile, email, phone } = user.human;
  return {
    userId: user.id,
    username: user.username,
    state: user.state,
    loginNames: [user.username],
    preferredLoginName: user.username,
    details: { sequence: String(user.sequence), changeDate: user.changedAt, resourceOwner: user.orgId },
    human: {
      profile: dropEmpty({
        givenName: profile.givenName,
        familyName: profile.familyName,
        nickName: profile.nickName,
        displayName: profile.displayName ?? `${profile.givenName} ${profile.familyName}`,
        preferredLanguage: profile.preferredLanguage,
        gender: profile.gender === 'GENDER_UNSPECIFIED' ? undefined : profile.gender,
      }) as unknown as V2Profile,
      email: dropEmpty({ email: email.email, isVerified: email.isVerified }) as unknown as V2Email,
      ...(phone ? { phone: dropEmpty({ phone: phone.phone, isVerified: phone.isVerified }) as unknown as V2Phone } : {}),
      // HumanUser.password_change_required (proto/zitadel/user/v2/user.proto), omitted when false.
      ...(user.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
    },
  };
}

function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined && inner !== '' && inner !== false) out[key] = inner;
  return out;
}
