// The events of Commands.ChangeUserHuman (internal/command/user_v2_human.go) for one user, in
// ZITADEL's order — user name, profile, e-mail, phone, password, metadata — and what they change
// on the stored user. A part that does not differ from the stored value writes no event and no
// error: ChangeUserHuman pushes nothing at all when no part changed (`len(cmds) == 0`).
import type { StoredMetadata, UserUpdate } from '../db/user-store.js';
import { ensureDisplayName, GENDERS, type HumanData, type HumanProfile, type MetadataValue, type StoredHumanUser } from './human-user.js';
import { languageTag } from './language-tag.js';
import { CODE_EXPIRY_NS, type UserEvent, UserEventType } from './user-events.js';
import { newPlainCode } from './verification-code.js';

/** command.Profile: the fields sent (undefined = not sent). */
export type ProfileChange = Partial<HumanProfile>;

/** command.Email as setHumanEmailToEmail builds it. */
export interface EmailChange {
  email: string;
  isVerified: boolean;
  returnCode: boolean;
  urlTemplate?: string;
}

/** command.Phone (the number already normalised by Phone.Validate). */
export interface PhoneChange {
  phone: string;
  isVerified: boolean;
  returnCode: boolean;
  remove: boolean;
}

/** A password that passed its checks: the encoded hash to store (given, or ZITADEL's hash of a plain one). */
export interface PasswordChange {
  encodedHash: string;
  changeRequired: boolean;
}

export interface HumanChange {
  username?: string;
  profile?: ProfileChange;
  email?: EmailChange;
  phone?: PhoneChange;
  password?: PasswordChange;
  /** Entries to set; an empty value removes the key (createMetadataEvents). */
  metadata: MetadataValue[];
}

export interface HumanChangeResult {
  events: UserEvent[];
  update: UserUpdate;
  codes: { emailCode?: string; phoneCode?: string };
}

/**
 * UserV2WriteModel.NewProfileChangedEvent: one event with the fields that differ, or none. The
 * preferred language is compared as a language tag; the stored display name is the one
 * ensureDisplayName gave the user when it was created.
 */
function profileEvent(human: HumanData, change: ProfileChange): { event?: UserEvent; profile: HumanData['profile'] } {
  const current = human.profile;
  const payload: Record<string, unknown> = {};
  const profile = { ...current, displayName: ensureDisplayName(current, human.email.email) };
  if (change.givenName !== undefined && change.givenName !== current.givenName) {
    payload.firstName = change.givenName;
    profile.givenName = change.givenName;
  }
  if (change.familyName !== undefined && change.familyName !== current.familyName) {
    payload.lastName = change.familyName;
    profile.familyName = change.familyName;
  }
  if (change.nickName !== undefined && change.nickName !== (current.nickName ?? '')) {
    payload.nickName = change.nickName;
    profile.nickName = change.nickName;
  }
  if (change.displayName !== undefined && change.displayName !== profile.displayName) {
    payload.displayName = change.displayName;
    profile.displayName = change.displayName;
  }
  if (change.preferredLanguage !== undefined) {
    const tag = languageTag(change.preferredLanguage);
    if (tag !== languageTag(current.preferredLanguage)) {
      payload.preferredLanguage = tag;
      profile.preferredLanguage = tag;
    }
  }
  if (change.gender !== undefined && change.gender !== (current.gender ?? 'GENDER_UNSPECIFIED')) {
    // domain.Gender is a number in the event: unspecified 0, female 1, male 2, diverse 3.
    payload.gender = GENDERS.indexOf(change.gender);
    profile.gender = change.gender;
  }
  if (Object.keys(payload).length === 0) return { profile: current };
  return { event: { type: UserEventType.profileChanged, payload }, profile };
}

/**
 * changeUserEmail: a different address → `email.changed`, then `email.verified` when
 * `isVerified`, else a code (`email.code.added`, sent unless `returnCode`). The same address →
 * only `email.verified`, and only when asked for and not verified yet; never a new code.
 */
function emailEvents(human: HumanData, change: EmailChange, codes: HumanChangeResult['codes']): { events: UserEvent[]; email: HumanData['email'] } {
  if (change.email !== '' && change.email !== human.email.email) {
    const changed: UserEvent = { type: UserEventType.emailChanged, payload: { email: change.email } };
    if (change.isVerified) return { events: [changed, { type: UserEventType.emailVerified, payload: {} }], email: { email: change.email, isVerified: true } };
    const payload: Record<string, unknown> = { expiry: CODE_EXPIRY_NS.emailVerificationCode };
    if (change.urlTemplate) payload.url_template = change.urlTemplate;
    if (change.returnCode) {
      payload.code_returned = true;
      codes.emailCode = newPlainCode();
    }
    return { events: [changed, { type: UserEventType.emailCodeAdded, payload }], email: { email: change.email } };
  }
  if (change.isVerified && !human.email.isVerified) {
    return { events: [{ type: UserEventType.emailVerified, payload: {} }], email: { ...human.email, isVerified: true } };
  }
  return { events: [], email: human.email };
}

/**
 * changeUserPhone: `remove` → `phone.removed`, written even when there is no phone; a different
 * number → `phone.changed` and `phone.verified` or a code; the same number → `phone.verified`
 * only when asked for and not verified yet.
 */
function phoneEvents(human: HumanData, change: PhoneChange, codes: HumanChangeResult['codes']): { events: UserEvent[]; phone: HumanData['phone'] } {
  if (change.remove) return { events: [{ type: UserEventType.phoneRemoved, payload: {} }], phone: undefined };
  const current = human.phone;
  if (change.phone !== '' && change.phone !== (current?.phone ?? '')) {
    const changed: UserEvent = { type: UserEventType.phoneChanged, payload: { phone: change.phone } };
    if (change.isVerified) return { events: [changed, { type: UserEventType.phoneVerified, payload: {} }], phone: { phone: change.phone, isVerified: true } };
    const payload: Record<string, unknown> = { expiry: CODE_EXPIRY_NS.phoneVerificationCode };
    if (change.returnCode) {
      payload.code_returned = true;
      codes.phoneCode = newPlainCode();
    }
    return { events: [changed, { type: UserEventType.phoneCodeAdded, payload }], phone: { phone: change.phone } };
  }
  if (change.isVerified && !current?.isVerified) {
    return { events: [{ type: UserEventType.phoneVerified, payload: {} }], phone: { phone: current?.phone ?? '', isVerified: true } };
  }
  return { events: [], phone: current };
}

/**
 * createMetadataEvents (internal/command/user_metadata.go): an empty value removes an existing
 * key (and is ignored for a missing one); a value equal to the stored one writes nothing. Each
 * entry is compared with the metadata as it was before the call, as ZITADEL does.
 */
export function metadataEvents(
  stored: readonly StoredMetadata[],
  entries: readonly MetadataValue[],
): { events: UserEvent[]; metadataSet: MetadataValue[]; metadataRemoved: string[] } {
  const before = new Map(stored.map((entry) => [entry.key, entry.value]));
  const after = new Map(before);
  const events: UserEvent[] = [];
  for (const entry of entries) {
    const existing = before.get(entry.key);
    if (entry.value.length === 0) {
      if (existing === undefined) continue;
      events.push({ type: UserEventType.metadataRemoved, payload: { key: entry.key } });
      after.delete(entry.key);
      continue;
    }
    if (existing?.equals(entry.value)) continue;
    events.push({ type: UserEventType.metadataSet, payload: { key: entry.key, value: entry.value.toString('base64') } });
    after.set(entry.key, entry.value);
  }
  const metadataSet = [...after].filter(([key, value]) => !before.get(key)?.equals(value)).map(([key, value]) => ({ key, value }));
  const metadataRemoved = [...before.keys()].filter((key) => !after.has(key));
  return { events, metadataSet, metadataRemoved };
}

/** The events ChangeUserHuman writes for `change` on `user`, and the stored user after them. */
export function humanChangeEvents(user: StoredHumanUser, metadata: readonly StoredMetadata[], change: HumanChange): HumanChangeResult {
  const events: UserEvent[] = [];
  const codes: HumanChangeResult['codes'] = {};
  const update: UserUpdate = {};
  let human = user.human;
  // changeUsername: the exact name; a different one (even in case only) is a change.
  if (change.username !== undefined && change.username !== user.username) {
    events.push({ type: UserEventType.usernameChanged, payload: { userName: change.username } });
    update.username = change.username;
  }
  if (change.profile) {
    const { event, profile } = profileEvent(human, change.profile);
    if (event) {
      events.push(event);
      human = { ...human, profile };
    }
  }
  if (change.email) {
    const result = emailEvents(human, change.email, codes);
    events.push(...result.events);
    human = { ...human, email: result.email };
  }
  if (change.phone) {
    const result = phoneEvents(human, change.phone, codes);
    events.push(...result.events);
    human = { ...human, phone: result.phone };
  }
  if (change.password) {
    // setPasswordCommand: always a new event, even for the hash already stored (hashes are not compared).
    events.push({
      type: UserEventType.passwordChanged,
      payload: { encodedHash: change.password.encodedHash, changeRequired: change.password.changeRequired },
    });
    update.passwordHash = change.password.encodedHash;
    update.passwordChangeRequired = change.password.changeRequired;
  }
  const changedMetadata = metadataEvents(metadata, change.metadata);
  events.push(...changedMetadata.events);
  update.metadataSet = changedMetadata.metadataSet;
  update.metadataRemoved = changedMetadata.metadataRemoved;
  if (human !== user.human) update.human = human;
  return { events, update, codes };
}
