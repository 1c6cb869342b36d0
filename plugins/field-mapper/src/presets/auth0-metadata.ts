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
  const origins = new Map<string, string>();
  for (const source of options.include) {
    const metadata = profile[source];
    if (metadata === undefined || metadata === null) continue;
    // A non-object (e.g. a string in a hand-made export) is kept whole, under the source's name.
    const pairs: [string, unknown, string][] = isObject(metadata)
      ? Object.entries(metadata).map(([key, value]) => [options.keyPrefix[source] + key, value, `${source}.${key}`])
      : [[source, metadata, source]];
    for (const [key, value, from] of pairs) {
      if (value === undefined) continue;
      const earlier = origins.get(key);
      if (earlier !== undefined) {
        return { ok: false, reason: `metadata key "${key}" comes from both ${earlier} and ${from}; set metadata.keyPrefix so they differ` };
      }
      origins.set(key, from);
      const encoded = encodeMetadataValue(value);
      const problem = keyProblem(key) ?? (encoded.ok ? undefined : `value ${encoded.reason}`);
      if (problem !== undefined || !encoded.ok) {
        if (options.onOversized === 'reject') return { ok: false, reason: `${from}: ${problem} (metadata.onOversized: reject)` };
        dropped.push({ key, reason: `${from}: ${problem}` });
        continue;
      }
      entries.push({ key, value: encoded.base64 });
    }
  }
  return { ok: true, entries, dropped };
}

function keyProblem(key: string): string | undefined {
  const runes = countRunes(key);
  if (runes === 0) return 'metadata key is empty';
  if (runes > ZITADEL_LIMITS.textRunes) return `metadata key is ${runes} runes, over ZITADEL's ${ZITADEL_LIMITS.textRunes}`;
  return undefined;
}
