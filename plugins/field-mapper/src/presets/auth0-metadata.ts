// Auth0's `user_metadata` and `app_metadata` become ZITADEL user metadata: one entry per top-level
// key, named `<prefix><key>`, valued with the JSON of the value (base64 on the wire). Keys such as
// `__proto__` or `constructor` are read with Object.entries and only ever become strings in the
// entries list — they never touch an object prototype.

import type { Auth0Profile } from '@idflow/plugin-auth0';
import { countRunes, ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';
import { encodeMetadataValue } from '../rules/metadata-value.js';

export const METADATA_SOURCES = ['user_metadata', 'app_metadata'] as const;
export type MetadataSource = (typeof METADATA_SOURCES)[number];

export interface MetadataOptions {
  include: readonly MetadataSource[];
  keyPrefix: { readonly [source in MetadataSource]: string };
  /** A value over 500,000 bytes or a key over 200 runes: reject the user, or drop the entry. */
  onOversized: 'reject' | 'drop';
}

export interface MetadataEntry {
  key: string;
  value: string;
}

export type MetadataOutcome =
  | { ok: true; entries: MetadataEntry[]; dropped: { key: string; reason: string }[] }
  | { ok: false; reason: string };

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The metadata entries for a profile, or why the user cannot be imported with them. */
export function auth0MetadataEntries(profile: Auth0Profile, options: MetadataOptions): MetadataOutcome {
  const entries: MetadataEntry[] = [];
  const dropped: { key: string; reason: string }[] = [];
  // Entry key → the source it came from, to catch two sources giving the same key. Only the source
  // is kept: the `user_metadata.plan` form used in messages is rebuilt by entryOrigin when needed.
  // With prefixes that keep the sources apart (the defaults) no key can come from both: no Map.
  const origins = prefixesKeepSourcesApart(options) ? undefined : new Map<string, MetadataSource>();
  for (const source of options.include) {
    const metadata = profile[source];
    if (metadata === undefined || metadata === null) continue;
    if (!isObject(metadata)) {
      // A non-object (e.g. a string in a hand-made export) is kept whole, under the source's name.
      const failure = addEntry('', source, metadata, source, profile, options, origins, entries, dropped);
      if (failure !== undefined) return { ok: false, reason: failure };
      continue;
    }
    const prefix = options.keyPrefix[source];
    for (const [name, value] of Object.entries(metadata)) {
      const failure = addEntry(prefix, name, value, source, profile, options, origins, entries, dropped);
      if (failure !== undefined) return { ok: false, reason: failure };
    }
  }
  return { ok: true, entries, dropped };
}

/** Adds the entry `prefix + name` (or records it as dropped); answers why the user must be rejected, if so. */
function addEntry(
  prefix: string,
  name: string,
  value: unknown,
  source: MetadataSource,
  profile: Auth0Profile,
  options: MetadataOptions,
  origins: Map<string, MetadataSource> | undefined,
  entries: MetadataEntry[],
  dropped: { key: string; reason: string }[],
): string | undefined {
  if (value === undefined) return undefined;
  const key = prefix + name;
  const earlier = origins?.get(key);
  if (earlier !== undefined) {
    const from = entryOrigin(key, source, profile, options);
    return `metadata key "${key}" comes from both ${entryOrigin(key, earlier, profile, options)} and ${from}; set metadata.keyPrefix so they differ`;
  }
  origins?.set(key, source);
  const encoded = encodeMetadataValue(value);
  const problem = knownKeyProblem(prefix, name) ?? (encoded.ok ? undefined : `value ${encoded.reason}`);
  if (problem !== undefined || !encoded.ok) {
    const from = entryOrigin(key, source, profile, options);
    if (options.onOversized === 'reject') return `${from}: ${problem} (metadata.onOversized: reject)`;
    dropped.push({ key, reason: `${from}: ${problem}` });
    return undefined;
  }
  entries.push({ key, value: encoded.base64 });
  return undefined;
}

/**
 * Where an entry came from, for messages: `user_metadata.plan` for a key of an object source, or
 * the source's name for a non-object source kept whole.
 */
function entryOrigin(key: string, source: MetadataSource, profile: Auth0Profile, options: MetadataOptions): string {
  return isObject(profile[source]) ? `${source}.${key.slice(options.keyPrefix[source].length)}` : source;
}

/**
 * True when no key from one source can equal a key from the other: each source's keys start with
 * its own non-empty prefix, neither prefix starts the other, and neither source's own name (the
 * key of a non-object source) starts with the other's prefix.
 */
function prefixesKeepSourcesApart(options: MetadataOptions): boolean {
  const [a, b] = options.include;
  if (b === undefined) return true;
  const pa = options.keyPrefix[a];
  const pb = options.keyPrefix[b];
  return pa !== '' && pb !== '' && !pa.startsWith(pb) && !pb.startsWith(pa) && !a.startsWith(pb) && !b.startsWith(pa);
}

// Keys repeat from user to user (`user_metadata.plan`…): their check is remembered, by prefix and
// then by name. Looking up the joined key instead cost more than the check: V8 hashes and compares
// a freshly concatenated string slowly, while each name comes flat out of JSON.parse.
const keyProblems = new Map<string, Map<string, string | null>>();
const maxRememberedNames = 10_000;

function knownKeyProblem(prefix: string, name: string): string | undefined {
  let byName = keyProblems.get(prefix);
  if (byName === undefined) {
    byName = new Map();
    keyProblems.set(prefix, byName);
  }
  let problem = byName.get(name);
  if (problem === undefined) {
    if (byName.size >= maxRememberedNames) byName.clear();
    problem = keyProblem(prefix + name) ?? null;
    byName.set(name, problem);
  }
  return problem ?? undefined;
}

function keyProblem(key: string): string | undefined {
  const runes = countRunes(key);
  if (runes === 0) return 'metadata key is empty';
  if (runes > ZITADEL_LIMITS.textRunes) return `metadata key is ${runes} runes, over ZITADEL's ${ZITADEL_LIMITS.textRunes}`;
  return undefined;
}
