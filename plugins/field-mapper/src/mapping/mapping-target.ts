// Where a mapping entry writes in the output record: a dotted field path (`user.profile.gender`)
// or a metadata entry (`metadata.<key>`, any key). Field paths are checked when the pipeline is
// loaded, so `__proto__`, `constructor` and `prototype` can never be written through.

import { countRunes, ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';
import { encodeMetadataValue } from '../rules/metadata-value.js';

export type MappingTarget = { kind: 'field'; segments: string[] } | { kind: 'metadata'; key: string };

const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses a mapping key into a target, or answers the problem with it. */
export function parseMappingTarget(key: string): MappingTarget | string {
  if (key.startsWith('metadata.')) {
    const metadataKey = key.slice('metadata.'.length);
    const runes = countRunes(metadataKey);
    if (runes === 0 || runes > ZITADEL_LIMITS.textRunes) return `a metadata key must be 1–${ZITADEL_LIMITS.textRunes} runes (got ${runes})`;
    return { kind: 'metadata', key: metadataKey };
  }
  const segments = key.split('.');
  for (const segment of segments) {
    if (FORBIDDEN.has(segment)) return `"${segment}" cannot be written: it names an object prototype`;
    if (!SEGMENT.test(segment)) return `"${key}" is not a target path (dotted names such as user.profile.nickName, or metadata.<key>)`;
  }
  if (segments[0] === 'metadata') return 'write metadata entries as metadata.<key>';
  return { kind: 'field', segments };
}

type Fields = { [key: string]: unknown };

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets (or, for undefined and null, removes) a field; intermediate objects are created as needed. */
export function writeField(output: Fields, segments: string[], value: unknown): void {
  let parent = output;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(parent, segment) ? parent[segment] : undefined;
    if (isFields(next)) parent = next;
    else {
      if (value === undefined || value === null) return;
      const created: Fields = {};
      parent[segment] = created;
      parent = created;
    }
  }
  const last = segments[segments.length - 1];
  if (value === undefined || value === null) delete parent[last];
  else parent[last] = value;
}

/** Sets, replaces or (for undefined and null) removes metadata entry `key`; the value is stored as JSON. */
export function writeMetadataEntry(output: Fields, key: string, value: unknown): string | undefined {
  const entries = Array.isArray(output.metadata) ? (output.metadata as { key: string; value: string }[]) : [];
  output.metadata = entries;
  const index = entries.findIndex((entry) => entry.key === key);
  if (value === undefined || value === null) {
    if (index >= 0) entries.splice(index, 1);
    return undefined;
  }
  const encoded = encodeMetadataValue(value);
  if (!encoded.ok) return `metadata.${key}: value ${encoded.reason}`;
  const entry = { key, value: encoded.base64 };
  if (index >= 0) entries[index] = entry;
  else entries.push(entry);
  return undefined;
}
