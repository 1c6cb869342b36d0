// The `auth0-to-zitadel` preset: one Auth0UserRecord (profile + password) becomes one
// ZitadelUserRecord that passes every ZITADEL field rule, or a rejection saying why it cannot.
// It fixes the reference converter's defects (auth0-formats.md §3): names are split, email
// verification is kept, phones are checked, metadata, identities and blocked state are carried.

import type { TransformResult } from '@idflow/engine';
import type { Auth0Profile, Auth0UserRecord } from '@idflow/plugin-auth0';
import { countRunes, truncateRunes, ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';
import type { ImportHumanUser, UserState, WithoutPasswordCause, ZitadelUserRecord } from '@idflow/zitadel-model';
import { toE164 } from '../rules/e164.js';
import { type LanguageForm, toPreferredLanguage } from '../rules/preferred-language.js';
import { auth0IdpLinks } from './auth0-idp-links.js';
import { auth0MetadataEntries, type MetadataOptions } from './auth0-metadata.js';
import { chooseAuth0Names } from './auth0-names.js';

export type UserNameStrategy = 'email' | 'username' | 'user_id';
export type EmailVerifiedPolicy = 'source' | 'all-verified' | 'all-unverified';
export type BlockedState = 'locked' | 'inactive';

/** The preset's options, defaults applied. */
export interface Auth0PresetOptions {
  userName: UserNameStrategy;
  emailVerified: EmailVerifiedPolicy;
  preferredLanguage: LanguageForm;
  metadata: MetadataOptions;
  /** Auth0 connection name → ZITADEL IdP id. */
  idpLinks: ReadonlyMap<string, string>;
  blockedState: BlockedState;
}

/** Where the preset reports what it did to a user (counters in the run report, warnings in the log and warnings.csv). */
export interface MappingReport {
  count(metric: string, by?: number): void;
  /** `kind` groups the warning in the report: `field cut`, `phone dropped`… */
  warn(message: string, kind: string): void;
}

/** Why the sinks will write this user without a hash, from the source's `passwordStatus`. */
const WITHOUT_PASSWORD: { [status: string]: WithoutPasswordCause } = {
  social: 'social',
  passwordless: 'passwordless',
  'empty-hash': 'no-hash-in-export',
  missing: 'no-hash-in-export',
};

function reject(reason: string): TransformResult<ZitadelUserRecord> {
  return { ok: false, rejection: { reason } };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Parses the record at the edge: an object with a `profile` object holding a string `user_id`. */
function asAuth0Record(data: unknown): Auth0UserRecord | string {
  if (typeof data !== 'object' || data === null) return 'record is not an Auth0 user record (expected {profile, passwordStatus})';
  const record = data as Partial<Auth0UserRecord>;
  if (typeof record.profile !== 'object' || record.profile === null) return 'record has no profile';
  if (!text(record.profile.user_id)) return 'profile.user_id is missing';
  return record as Auth0UserRecord;
}

/** Cuts a display field to ZITADEL's 200 runes, counting and logging each cut. */
function fitText(value: string, field: string, userId: string, report: MappingReport): string {
  const cut = truncateRunes(value, ZITADEL_LIMITS.textRunes);
  if (cut !== value) {
    report.count(`truncated ${field}`);
    report.warn(`${userId}: ${field} cut from ${countRunes(value)} to ${countRunes(cut)} runes`, 'field cut');
  }
  return cut;
}

function chooseUserName(profile: Auth0Profile, email: string, strategy: UserNameStrategy, report: MappingReport): string {
  if (strategy === 'user_id') return profile.user_id;
  if (strategy === 'username') {
    const username = text(profile.username);
    if (username) return username;
    report.count('userName from email (no username)');
  }
  return email;
}

function isEmailVerified(profile: Auth0Profile, policy: EmailVerifiedPolicy): boolean {
  if (policy === 'all-verified') return true;
  if (policy === 'all-unverified') return false;
  return profile.email_verified === true;
}

/** Maps one Auth0 user to a ZITADEL user by the preset's rules, or rejects it with the reason. */
export function mapAuth0User(data: unknown, options: Auth0PresetOptions, report: MappingReport): TransformResult<ZitadelUserRecord> {
  const record = asAuth0Record(data);
  if (typeof record === 'string') return reject(record);
  const { profile } = record;
  const userId = profile.user_id;
  const email = text(profile.email);
  if (!email) return reject('profile.email is missing: ZITADEL requires an email address for every user');

  const names = chooseAuth0Names(profile, email);
  if (names.firstFrom === 'name' || names.lastFrom === 'name') report.count('names split from name');
  if (names.firstFrom === 'nickname' || names.lastFrom === 'nickname') report.count('names from nickname');
  if (names.firstFrom === 'email local part' || names.lastFrom === 'email local part') report.count('names from email local part');

  const user: ImportHumanUser = {
    userName: chooseUserName(profile, email, options.userName, report),
    profile: {
      firstName: fitText(names.firstName, 'profile.firstName', userId, report),
      lastName: fitText(names.lastName, 'profile.lastName', userId, report),
    },
    email: { email, isEmailVerified: isEmailVerified(profile, options.emailVerified) },
  };
  const displayName = text(profile.name);
  if (displayName) user.profile.displayName = fitText(displayName, 'profile.displayName', userId, report);
  const nickName = text(profile.nickname);
  if (nickName) user.profile.nickName = fitText(nickName, 'profile.nickName', userId, report);

  if (profile.locale !== undefined && profile.locale !== null && profile.locale !== '') {
    const language = toPreferredLanguage(profile.locale, options.preferredLanguage);
    if (language) {
      user.profile.preferredLanguage = language.tag;
      if (language.shortened && options.preferredLanguage === 'tag') report.count('languages shortened to 10 characters');
    } else {
      report.count('languages omitted (invalid locale)');
      report.warn(`${userId}: locale ${JSON.stringify(profile.locale)} is not a language tag; preferredLanguage omitted`, 'language omitted');
    }
  }

  if (profile.phone_number !== undefined && profile.phone_number !== null && profile.phone_number !== '') {
    const phone = toE164(profile.phone_number);
    if (phone) {
      user.phone = { phone, isPhoneVerified: profile.phone_verified === true };
      if (phone !== profile.phone_number) report.count('phones normalized to E.164');
    } else {
      report.count('phones dropped (not E.164)');
      report.warn(`${userId}: phone_number ${JSON.stringify(profile.phone_number)} is not E.164; phone dropped`, 'phone dropped');
    }
  }

  let withoutPassword: WithoutPasswordCause | undefined;
  if (record.passwordStatus === 'present' && text(record.password?.hash)) {
    // Copied untouched: the hash-validator, next in the pipeline, checks and converts it.
    user.hashedPassword = { value: record.password!.hash };
    report.count('passwords copied');
  } else {
    const status = record.passwordStatus === 'present' ? 'empty-hash' : (record.passwordStatus ?? 'missing');
    withoutPassword = WITHOUT_PASSWORD[status] ?? 'no-hash-in-export';
    report.count(`no password (${status})`);
  }

  const identities = auth0IdpLinks(profile, options.idpLinks);
  if (identities.links.length > 0) {
    user.idps = identities.links;
    report.count('idp links', identities.links.length);
  } else if (identities.externalIdentities > 0) {
    report.count('needs IdP link');
  }
  for (const connection of identities.unmappedConnections) report.count(`unmapped connection ${connection}`);

  const metadata = auth0MetadataEntries(profile, options.metadata);
  if (!metadata.ok) return reject(metadata.reason);
  if (metadata.entries.length > 0) report.count('metadata entries', metadata.entries.length);
  for (const { reason } of metadata.dropped) {
    report.count('metadata entries dropped (over ZITADEL limits)');
    report.warn(`${userId}: metadata entry dropped: ${reason}`, 'metadata entry dropped');
  }

  let state: UserState = 'USER_STATE_ACTIVE';
  if (profile.blocked === true) {
    state = options.blockedState === 'inactive' ? 'USER_STATE_INACTIVE' : 'USER_STATE_LOCKED';
    report.count('blocked');
  }

  const mapped: ZitadelUserRecord = { userId, user, metadata: metadata.entries, state };
  if (withoutPassword) mapped.withoutPassword = withoutPassword;
  return { ok: true, value: mapped };
}
