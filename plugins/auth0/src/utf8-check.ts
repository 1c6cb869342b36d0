// Strict UTF-8. Node decodes invalid bytes to U+FFFD without a word, so a Latin-1 name would
// arrive in ZITADEL mangled; the readers check bytes before decoding and turn a record with
// invalid UTF-8 into a located rejection. `isUtf8` (native, vectorised) answers for a whole chunk
// at once; the byte-by-byte search below runs only on a record already known to be invalid.

import { isUtf8 } from 'node:buffer';

export { isUtf8 };

/** Whether `byte` is a continuation byte (10xxxxxx) within `min`..`max`. */
function continues(buffer: Uint8Array, at: number, end: number, min = 0x80, max = 0xbf): boolean {
  return at < end && buffer[at] >= min && buffer[at] <= max;
}

/**
 * Index of the first byte of the first invalid UTF-8 sequence in `buffer[start, end)`, or -1.
 * The rules are RFC 3629's (no overlong forms, no surrogates, nothing above U+10FFFF), the same
 * as `isUtf8`, so the two always agree.
 */
export function firstInvalidUtf8(buffer: Uint8Array, start = 0, end = buffer.length): number {
  let i = start;
  while (i < end) {
    const lead = buffer[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length = 0;
    if (lead >= 0xc2 && lead <= 0xdf) length = continues(buffer, i + 1, end) ? 2 : 0;
    else if (lead === 0xe0) length = continues(buffer, i + 1, end, 0xa0) && continues(buffer, i + 2, end) ? 3 : 0;
    else if (lead === 0xed) length = continues(buffer, i + 1, end, 0x80, 0x9f) && continues(buffer, i + 2, end) ? 3 : 0;
    else if (lead >= 0xe1 && lead <= 0xef) length = continues(buffer, i + 1, end) && continues(buffer, i + 2, end) ? 3 : 0;
    else if (lead === 0xf0) length = continues(buffer, i + 1, end, 0x90) && continues(buffer, i + 2, end) && continues(buffer, i + 3, end) ? 4 : 0;
    else if (lead >= 0xf1 && lead <= 0xf3) length = continues(buffer, i + 1, end) && continues(buffer, i + 2, end) && continues(buffer, i + 3, end) ? 4 : 0;
    else if (lead === 0xf4) length = continues(buffer, i + 1, end, 0x80, 0x8f) && continues(buffer, i + 2, end) && continues(buffer, i + 3, end) ? 4 : 0;
    if (length === 0) return i;
    i += length;
  }
  return -1;
}
