// ZITADEL metadata values are bytes (base64 in JSON), at most 500,000 of them. idflow stores
// every value as its JSON text, so strings, numbers and nested objects all round-trip.

import { writeUtf8 } from '@idflow/engine/write-utf8';
import { ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';

/** A value ready for a metadata entry, or why it cannot be one. */
export type EncodedMetadataValue = { ok: true; base64: string; bytes: number } | { ok: false; bytes: number; reason: string };

const scratch = Buffer.allocUnsafe(1 << 16);

/** JSON-encodes `value` and base64-encodes the UTF-8 bytes, refusing values over ZITADEL's limit. */
export function encodeMetadataValue(value: unknown): EncodedMetadataValue {
  const text = JSON.stringify(value) ?? 'null';
  // Most values are small: encode them through one reused buffer instead of a new Buffer each
  // (several per user). UTF-8 takes at most 3 bytes per UTF-16 unit, so `text` surely fits.
  if (text.length * 3 <= scratch.length) {
    const bytes = writeUtf8(scratch, text, 0);
    if (bytes <= ZITADEL_LIMITS.metadataValueBytes) return { ok: true, base64: scratch.toString('base64', 0, bytes), bytes };
  }
  const json = Buffer.from(text, 'utf8');
  if (json.length > ZITADEL_LIMITS.metadataValueBytes) {
    return { ok: false, bytes: json.length, reason: `is ${json.length} bytes as JSON, over ZITADEL's ${ZITADEL_LIMITS.metadataValueBytes}` };
  }
  return { ok: true, base64: json.toString('base64'), bytes: json.length };
}
