// Helpers for the sync end-to-end test: an export's mapping through the shipped mapper (what
// ZITADEL must hold), each user read back from the emulator in the same terms, the instance's
// events after a mark, and the parts of a user those events changed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedExport } from '@idflow/fixtures';
import type { RunningEmulator } from '@idflow/zitadel-emulator';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { readNdjson, runCli, writePipeline } from './helpers.js';

/** The fields of a user the mapper sets, as the mapper writes them and as ZITADEL gives them back. */
export interface ComparableUser {
  userName: string;
  givenName: string;
  familyName: string;
  nickName: string;
  displayName: string;
  preferredLanguage: string;
  gender: string;
  email: string;
  emailVerified: boolean;
  phone: string;
  phoneVerified: boolean;
  state: string;
  /** key → base64 value, keys sorted. */
  metadata: Record<string, string>;
}

/**
 * Maps `generated` with the shipped transforms (auth0 → field-mapper auth0-to-zitadel →
 * hash-validator → zitadel-validate) into an NDJSON file, through the built CLI.
 */
export async function mapExport(generated: GeneratedExport, dir: string): Promise<Map<string, ZitadelUserRecord>> {
  mkdirSync(dir, { recursive: true });
  const pipeline = writePipeline(dir, 'map.yaml', [
    'version: 1',
    'name: map-export',
    `source: { use: auth0, with: { profiles: ${JSON.stringify(generated.profiles.ndjson)}, passwords: ${JSON.stringify(generated.passwords)} } }`,
    'transforms:',
    '  - { use: field-mapper, with: { preset: auth0-to-zitadel } }',
    '  - { use: hash-validator, with: { allow: bcrypt } }',
    '  - use: zitadel-validate',
    `sink: { use: ndjson, with: { path: ${JSON.stringify(join(dir, 'mapped.ndjson'))} } }`,
    `dlq: { path: ${JSON.stringify(join(dir, 'map-dead-letters.ndjson'))} }`,
  ]);
  const result = await runCli(['run', pipeline]);
  if (result.code !== 0) throw new Error(`mapping ${generated.profiles.ndjson} failed (${result.code}): ${result.stderr}`);
  return new Map(readNdjson<ZitadelUserRecord>(join(dir, 'mapped.ndjson')).map((record) => [record.userId, record]));
}

/** What ZITADEL must hold for a mapped record. */
export function expectedOf(record: ZitadelUserRecord): ComparableUser {
  const { user } = record;
  return {
    userName: user.userName,
    givenName: user.profile.firstName,
    familyName: user.profile.lastName,
    nickName: user.profile.nickName ?? '',
    displayName: user.profile.displayName ?? `${user.profile.firstName} ${user.profile.lastName}`,
    // ZITADEL answers "und" for no language (internal/api/grpc/user/v2/convert).
    preferredLanguage: user.profile.preferredLanguage ?? 'und',
    gender: user.profile.gender ?? 'GENDER_UNSPECIFIED',
    email: user.email.email,
    emailVerified: user.email.isEmailVerified === true,
    phone: user.phone?.phone ?? '',
    phoneVerified: user.phone?.isPhoneVerified === true,
    state: record.state,
    metadata: Object.fromEntries(record.metadata.map((entry) => [entry.key, entry.value]).sort(([a], [b]) => a.localeCompare(b))),
  };
}

async function call<T>(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}

interface V2UserAnswer {
  user: {
    state: string;
    username: string;
    human: {
      profile: { givenName: string; familyName: string; nickName?: string; displayName?: string; preferredLanguage?: string; gender?: string };
      email: { email: string; isVerified?: boolean };
      phone: { phone?: string; isVerified?: boolean };
    };
  };
}

/** A user as the emulator holds it (GetUserByID and ListUserMetadata), or undefined if it has none. */
export async function readBack(emu: RunningEmulator, userId: string): Promise<ComparableUser | undefined> {
  const response = await fetch(`${emu.url}/v2/users/${encodeURIComponent(userId)}`, { headers: { authorization: `Bearer ${emu.pat}` } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /v2/users/${userId}: HTTP ${response.status}`);
  const { user } = (await response.json()) as V2UserAnswer;
  const metadata = await call<{ metadata?: { key: string; value: string }[] }>(emu, 'POST', `/v2/users/${encodeURIComponent(userId)}/metadata/search`, {
    pagination: { limit: 1000 },
  });
  return {
    userName: user.username,
    givenName: user.human.profile.givenName,
    familyName: user.human.profile.familyName,
    nickName: user.human.profile.nickName ?? '',
    displayName: user.human.profile.displayName ?? '',
    preferredLanguage: user.human.profile.preferredLanguage ?? '',
    gender: user.human.profile.gender ?? '',
    email: user.human.email.email,
    emailVerified: user.human.email.isVerified === true,
    phone: user.human.phone.phone ?? '',
    phoneVerified: user.human.phone.isVerified === true,
    state: user.state,
    metadata: Object.fromEntries((metadata.metadata ?? []).map((entry) => [entry.key, entry.value]).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** One event of the instance (Admin ListEvents). */
export interface InstanceEvent {
  sequence: number;
  type: string;
  aggregateId: string;
}

interface EventsAnswer {
  events?: { sequence: string; type: { type: string }; aggregate: { id: string } }[];
}

/** The sequence of the instance's latest event: a mark to read the events written after it. */
export async function latestSequence(emu: RunningEmulator): Promise<number> {
  const answer = await call<EventsAnswer>(emu, 'POST', '/admin/v1/events/_search', { limit: 1, asc: false });
  return Number(answer.events?.[0]?.sequence ?? 0);
}

/** Every event after `mark`, oldest first (read in pages). */
export async function eventsAfter(emu: RunningEmulator, mark: number): Promise<InstanceEvent[]> {
  const events: InstanceEvent[] = [];
  for (let after = mark; ; ) {
    const answer = await call<EventsAnswer>(emu, 'POST', '/admin/v1/events/_search', { sequence: String(after), asc: true, limit: 1000 });
    const page = (answer.events ?? []).map((event) => ({ sequence: Number(event.sequence), type: event.type.type, aggregateId: event.aggregate.id }));
    events.push(...page);
    if (page.length < 1000) return events;
    after = page[page.length - 1].sequence;
  }
}

/** Which part of a user each user event changes (ZITADEL's event types, internal/repository/user). */
const partOfEvent: Record<string, string> = {
  'user.human.added': 'created',
  'user.human.profile.changed': 'profile',
  'user.username.changed': 'profile',
  'user.human.email.changed': 'email',
  'user.human.email.verified': 'emailVerified',
  'user.human.phone.changed': 'phone',
  'user.human.phone.removed': 'phone',
  'user.human.phone.verified': 'phone',
  'user.human.password.changed': 'password',
  'user.metadata.set': 'metadata',
  'user.metadata.removed': 'metadata',
  'user.locked': 'state',
  'user.unlocked': 'state',
  'user.deactivated': 'state',
  'user.reactivated': 'state',
  'user.human.externalidp.added': 'idpLinks',
};

/** Per user id, the sorted parts its events changed (a created user is `created` alone). */
export function partsByUser(events: readonly InstanceEvent[]): Map<string, string[]> {
  const parts = new Map<string, Set<string>>();
  for (const event of events) {
    const part = partOfEvent[event.type];
    if (part === undefined) continue;
    const set = parts.get(event.aggregateId) ?? new Set<string>();
    set.add(part);
    parts.set(event.aggregateId, set);
  }
  return new Map([...parts].map(([id, set]) => [id, set.has('created') ? ['created'] : [...set].sort()]));
}

/** Per user id, its events' types in order (to prove nothing was applied twice). */
export function eventTypesByUser(events: readonly InstanceEvent[]): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const event of events) {
    if (!(event.type in partOfEvent)) continue;
    byUser.set(event.aggregateId, [...(byUser.get(event.aggregateId) ?? []), event.type]);
  }
  return byUser;
}

/** A real login (POST /v2/sessions with a user and a password check): true if the password opens it. */
export async function logsIn(emu: RunningEmulator, userId: string, password: string): Promise<boolean> {
  const response = await fetch(`${emu.url}/v2/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ checks: { user: { userId }, password: { password } } }),
  });
  await response.arrayBuffer();
  return response.ok;
}
