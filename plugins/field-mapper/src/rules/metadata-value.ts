// ZITADEL metadata values are bytes (base64 in JSON), at most 500,000 of them. idflow stores
// every value as its JSON text, so strings, numbers and nested objects all round-trip.

import { ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';

/** A value ready for a metadata entry, or why it cannot be one. */
export type EncodedMetadataValue = { ok: true; base64: string; bytes: number } | { ok: false; bytes: number; reason: string };

/** JSON-encodes `value` and base64-encodes the UTF-8 bytes, refusing values over ZITADEL's limit. */
export function encodeMetadataValue(value: unknown): EncodedMetadataValue {
  const json = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
  if (json.length > ZITADEL_LIMITS.metadataValueBytes) {
    return { ok: false, bytes: json.length, reason: `is ${json.length} bytes as JSON, over ZITADEL's ${ZITADEL_LIMITS.metadataValueBytes}` };
  }
  return { ok: true, base64: json.toString('base64'), bytes: json.length };
}
