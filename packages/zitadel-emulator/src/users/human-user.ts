// The emulator's own record of a human user, shared by the import and the v2 routes, and how it
// renders as a v2 `User` and as the payload of a `user.human.added` event.
import type { Gender, V2Email, V2Phone, V2Profile, V2User } from '@idflow/zitadel-model';
import { languageTag } from './language-tag.js';
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
 * AddHuman.ensureDisplayName (internal/command/user_human.go; domain.Human.EnsureDisplayName for
 * the import): a blank display name becomes "<given> <family>", or the e-mail without names.
 * ZITADEL stores the result, so a later profile change of the names leaves it as it was.
 */
export function ensureDisplayName(profile: HumanProfile, email: string): string {
  if (profile.displayName?.trim()) return profile.displayName;
  if (profile.givenName.trim() && profile.familyName.trim()) return `${profile.givenName} ${profile.familyName}`;
  return email;
}

/** The human with its display name made explicit, as the `…added` event stores it. */
export function withDisplayName(human: HumanData): HumanData {
  return { ...human, profile: { ...human.profile, displayName: ensureDisplayName(human.profile, human.email.email) } };
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
    displayName: ensureDisplayName(profile, email.email),
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

/**
 * A stored user as the v2 User Service returns it (UserToPb and humanToPb in
 * internal/api/grpc/user/v2/convert): protojson leaves out empty plain fields but writes the
 * `optional` ones that are set, so nickName (maybe ""), displayName, preferredLanguage ("und" when
 * none) and gender (GENDER_UNSPECIFIED) are always there, and so is `phone` (`{}` without one).
 */
export function toV2User(user: StoredHumanUser): V2User {
  const { profile, email, phone } = user.human;
  return {
    userId: user.id,
    details: { sequence: String(user.sequence), changeDate: user.changedAt, resourceOwner: user.orgId, creationDate: user.createdAt },
    state: user.state,
    username: user.username,
    loginNames: [user.username],
    preferredLoginName: user.username,
    human: {
      profile: {
        givenName: profile.givenName,
        familyName: profile.familyName,
        nickName: profile.nickName ?? '',
        displayName: ensureDisplayName(profile, email.email),
        preferredLanguage: languageTag(profile.preferredLanguage),
        gender: profile.gender ?? 'GENDER_UNSPECIFIED',
      } as V2Profile,
      email: dropEmpty({ email: email.email, isVerified: email.isVerified }) as unknown as V2Email,
      phone: dropEmpty({ phone: phone?.phone, isVerified: phone?.isVerified }) as unknown as V2Phone,
      // HumanUser.password_change_required (proto/zitadel/user/v2/user.proto), omitted when false.
      ...(user.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
    },
  } as V2User;
}

function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined && inner !== '' && inner !== false) out[key] = inner;
  return out;
}
