// The difference between a mapped record and the user ZITADEL holds, as the calls that remove it:
// one UpdateUser (`PATCH /v2/users/{user_id}`, proto/zitadel/user/v2/user_service.proto
// UpdateUserRequest: profile, email, phone, password and metadata — an empty metadata value
// removes the key), AddIDPLink per missing link, and the state calls. Only parts the record sets
// are compared: the record cannot clear a nick name (UpdateUserRequest.Human.Profile's optional
// fields have min_len 1), and an address verified in ZITADEL is never "unverified".
// Also the masked description `idflow diff` prints: hashes and values of secrets never appear.
import type { SyncPart } from '@idflow/engine';
import type { SetHumanEmail, SetHumanPhone, V2IdpLink, V2Metadata, V2Profile, V2User, ZitadelUserRecord } from '@idflow/zitadel-model';
import type { Onboarding } from '../onboarding/onboarding.js';
import { toEmail, toHashedPassword, toIdpLinks, toPhone, toProfile } from '../users/build-user-request.js';
import type { PasswordKnowledge } from './sync-ledger.js';

/** The v2 state calls (LockUser, UnlockUser, DeactivateUser, ReactivateUser). */
export type StateAction = 'lock' | 'unlock' | 'deactivate' | 'reactivate';

/** `UpdateUserRequest` as JSON (only the parts that change). */
export interface UpdateUserBody {
  human?: {
    profile?: Partial<V2Profile>;
    email?: SetHumanEmail;
    phone?: SetHumanPhone | { phone: '' };
    password?: { hashedPassword: { hash: string; changeRequired?: boolean } };
  };
  metadata?: V2Metadata[];
}

/** One part's change as `idflow diff` shows it: values of secrets replaced by words. */
export interface PartChange {
  from: unknown;
  to: unknown;
}

/** What ZITADEL holds of the user, as far as the comparison needs it. */
export interface CurrentUser {
  user: V2User;
  /** Metadata values (base64) by key; undefined when not read (the record sets none and idflow set none). */
  metadata?: Map<string, string>;
  /** Links as `idpId|userId`; undefined when not read (the record has none). */
  idpLinks?: Set<string>;
}

export interface UserChanges {
  parts: SyncPart[];
  update?: UpdateUserBody;
  /** The hash UpdateUser sends, for the ledger. */
  sentHash?: string;
  /** The metadata keys the record sets (recorded once UpdateUser succeeded). */
  metadataKeys: string[];
  addLinks: V2IdpLink[];
  /** The state call to make, if any (`lock` for a blocked INITIAL user: DeactivateUserV2 refuses it). */
  stateAction?: StateAction;
  described: { [part in SyncPart]?: PartChange };
  /** The password is set because no record of what was sent exists (counted apart). */
  passwordUnknown: boolean;
}

export interface CompareOptions {
  onboarding: Onboarding;
  /** What the ledger knows of the record's hash (undefined: the record has none). */
  password?: PasswordKnowledge;
  /** Keys idflow set earlier: removed when the record no longer has them. */
  managedKeys: readonly string[];
}

/** States in which a user cannot log in: a blocked record is satisfied by either. */
const BLOCKED = new Set(['USER_STATE_LOCKED', 'USER_STATE_INACTIVE']);

function canonicalLanguage(tag: string | undefined): string {
  try {
    return (Intl.getCanonicalLocales(tag?.trim().replaceAll('_', '-') || 'und')[0] ?? 'und').toLowerCase();
  } catch {
    return 'und';
  }
}

/** The profile fields the record sets that differ from ZITADEL's. */
function profileChange(record: ZitadelUserRecord, current: V2Profile | undefined): Partial<V2Profile> | undefined {
  const wanted = toProfile(record.user);
  const change: Partial<V2Profile> = {};
  if (wanted.givenName !== current?.givenName) change.givenName = wanted.givenName;
  if (wanted.familyName !== current?.familyName) change.familyName = wanted.familyName;
  if (wanted.nickName !== undefined && wanted.nickName !== current?.nickName) change.nickName = wanted.nickName;
  if (wanted.displayName !== undefined && wanted.displayName !== current?.displayName) change.displayName = wanted.displayName;
  if (wanted.preferredLanguage !== undefined && canonicalLanguage(wanted.preferredLanguage) !== canonicalLanguage(current?.preferredLanguage)) {
    change.preferredLanguage = wanted.preferredLanguage;
  }
  if (wanted.gender !== undefined && wanted.gender !== (current?.gender ?? 'GENDER_UNSPECIFIED')) change.gender = wanted.gender;
  return Object.keys(change).length > 0 ? change : undefined;
}

/** The state call that takes `current` to the record's state; undefined when it is there. */
export function stateActionFor(wanted: ZitadelUserRecord['state'], current: string): StateAction | undefined {
  if (wanted === 'USER_STATE_ACTIVE') {
    if (current === 'USER_STATE_LOCKED') return 'unlock';
    if (current === 'USER_STATE_INACTIVE') return 'reactivate';
    return undefined;
  }
  if (BLOCKED.has(current)) return undefined;
  // DeactivateUserV2 refuses an INITIAL user (internal/command/user_v2.go); locking keeps it out too.
  return wanted === 'USER_STATE_INACTIVE' && current !== 'USER_STATE_INITIAL' ? 'deactivate' : 'lock';
}

function metadataChanges(record: ZitadelUserRecord, current: CurrentUser, managedKeys: readonly string[]) {
  const held = current.metadata ?? new Map<string, string>();
  const wanted = new Map(record.metadata.map((entry) => [entry.key, entry.value]));
  const sameBytes = (a: string, b: string) => Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
  const set = [...wanted].filter(([key, value]) => !held.has(key) || !sameBytes(held.get(key) as string, value)).map(([key, value]) => ({ key, value }));
  // UpdateUser: "an empty value removes the key" (createMetadataEvents in internal/command/user_metadata.go).
  const removed = managedKeys.filter((key) => !wanted.has(key) && held.has(key)).map((key) => ({ key, value: '' }));
  return { entries: [...set, ...removed], setKeys: set.map((e) => e.key), removedKeys: removed.map((e) => e.key) };
}

/** Compares `record` with what ZITADEL holds; the calls and the description of what differs. */
export function compareUser(record: ZitadelUserRecord, current: CurrentUser, options: CompareOptions): UserChanges {
  const human = current.user.human ?? {};
  const parts: SyncPart[] = [];
  const described: UserChanges['described'] = {};
  const update: NonNullable<UpdateUserBody['human']> = {};

  const profile = profileChange(record, human.profile);
  if (profile) {
    parts.push('profile');
    update.profile = profile;
    const from: Partial<V2Profile> = {};
    for (const key of Object.keys(profile) as (keyof V2Profile)[]) from[key] = human.profile?.[key] as never;
    described.profile = { from, to: profile };
  }

  const wantedEmail = record.user.email;
  const verifiedNow = human.email?.isVerified === true;
  if (wantedEmail.email !== human.email?.email) {
    parts.push('email');
    update.email = toEmail(record.user, options.onboarding);
    described.email = { from: human.email?.email ?? null, to: wantedEmail.email };
    if (wantedEmail.isEmailVerified === true) {
      parts.push('emailVerified');
      described.emailVerified = { from: verifiedNow, to: true };
    }
  } else if (wantedEmail.isEmailVerified === true && !verifiedNow) {
    parts.push('emailVerified');
    update.email = { email: wantedEmail.email, isVerified: true };
    described.emailVerified = { from: false, to: true };
  }

  const wantedPhone = record.user.phone;
  const phoneNow = human.phone?.phone;
  if (wantedPhone && (wantedPhone.phone !== phoneNow || (wantedPhone.isPhoneVerified === true && human.phone?.isVerified !== true))) {
    parts.push('phone');
    update.phone = toPhone(record.user, options.onboarding);
    described.phone = { from: phoneNow ? { phone: phoneNow, verified: human.phone?.isVerified === true } : null, to: { phone: wantedPhone.phone, verified: wantedPhone.isPhoneVerified === true } };
  } else if (!wantedPhone && phoneNow) {
    // UpdateUser removes the phone when the number is empty (`withRemove`, internal/api/grpc/user/v2/human.go).
    parts.push('phone');
    update.phone = { phone: '' };
    described.phone = { from: { phone: phoneNow, verified: human.phone?.isVerified === true }, to: null };
  }

  let sentHash: string | undefined;
  let passwordUnknown = false;
  const hashed = toHashedPassword(record);
  if (hashed && options.password) {
    const changeNowRequired = hashed.changeRequired === true && human.passwordChangeRequired !== true;
    if (options.password !== 'same' || changeNowRequired) {
      parts.push('password');
      passwordUnknown = options.password === 'unknown' || options.password === 'pending';
      update.password = { hashedPassword: hashed };
      sentHash = hashed.hash;
      const from = options.password === 'same' ? 'set' : passwordUnknown ? 'unknown' : 'set';
      const to = options.password === 'same' ? 'set (change required)' : passwordUnknown ? 'set' : 'set (changed)';
      described.password = { from, to };
    }
  }

  const metadata = metadataChanges(record, current, options.managedKeys);
  if (metadata.entries.length > 0) {
    parts.push('metadata');
    described.metadata = { from: { keys: [...(current.metadata?.keys() ?? [])].sort() }, to: { set: metadata.setKeys, removed: metadata.removedKeys } };
  }

  const stateAction = stateActionFor(record.state, current.user.state);
  if (stateAction) {
    parts.push('state');
    described.state = { from: current.user.state, to: record.state };
  }

  const addLinks = (toIdpLinks(record.user) ?? []).filter((link) => !current.idpLinks?.has(`${link.idpId}|${link.userId}`));
  if (addLinks.length > 0) {
    parts.push('idpLinks');
    described.idpLinks = { from: current.idpLinks?.size ?? 0, to: { add: addLinks.map((l) => `${l.idpId}:${l.userId}`) } };
  }

  const hasHuman = Object.keys(update).length > 0;
  const body: UpdateUserBody | undefined =
    hasHuman || metadata.entries.length > 0 ? { ...(hasHuman ? { human: update } : {}), ...(metadata.entries.length ? { metadata: metadata.entries } : {}) } : undefined;
  return { parts, update: body, sentHash, metadataKeys: record.metadata.map((e) => e.key), addLinks, stateAction, described, passwordUnknown };
}
