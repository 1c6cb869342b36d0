// The base64 dialects password hashes are written in. Go's and passlib's decoders differ in how
// strict they are, so each format says which checks it needs.

/** crypt(3)'s alphabet ("hash64"), used by md5-crypt, sha2-crypt, phpass and drupal7. */
export const CRYPT64_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** bcrypt's own base64 alphabet (same characters as crypt64, different order). */
export const BCRYPT64_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const CRYPT64_RE = /^[./0-9A-Za-z]*$/;
const STANDARD_B64_RE = /^[A-Za-z0-9+/]*$/;
const ADAPTED_B64_RE = /^[A-Za-z0-9./]*$/;

/** True when every character of `text` is in the crypt64/bcrypt alphabet. */
export function isCrypt64(text: string): boolean {
  return CRYPT64_RE.test(text);
}

/** crypt(3)'s little-endian 6-bit encoding, as phpass and drupal7 use it (`_password_base64_encode`). */
export function encodeCrypt64(bytes: Uint8Array): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of bytes) {
    value |= byte << bits;
    bits += 8;
    while (bits >= 6) {
      out += CRYPT64_ALPHABET[value & 63];
      value >>>= 6;
      bits -= 6;
    }
  }
  if (bits > 0) out += CRYPT64_ALPHABET[value & 63];
  return out;
}

export type Base64Dialect =
  /** Standard alphabet, no padding, canonical trailing bits (Go's RawStdEncoding.Strict()). */
  | 'standard-raw-strict'
  /** Standard alphabet, `=` padding required (Go's StdEncoding). */
  | 'standard-padded'
  /** passlib's adapted base64: `.` for `+`, no padding (passwap also trims stray `=`). */
  | 'adapted'
  /** Standard alphabet, padding optional (passwap's fallback for pbkdf2 parts holding `+`). */
  | 'standard-lenient';

/** Decodes `text` in the given dialect, or says in a few words why it is not valid. */
export function decodeBase64(text: string, dialect: Base64Dialect): Uint8Array | string {
  let body = text;
  if (dialect === 'standard-padded') {
    if (text.length % 4 !== 0) return `is not padded base64 (length ${text.length} is not a multiple of 4)`;
    body = text.replace(/={1,2}$/, '');
  } else if (dialect === 'adapted' || dialect === 'standard-lenient') {
    body = text.replace(/=+$/, '');
  }
  if (body.length === 0) return 'is empty';
  const alphabetOk = dialect === 'adapted' ? ADAPTED_B64_RE.test(body) : STANDARD_B64_RE.test(body);
  if (!alphabetOk) {
    return dialect === 'adapted' ? 'is not adapted base64 (A-Za-z0-9./)' : 'is not base64 (A-Za-z0-9+/)';
  }
  if (body.length % 4 === 1) return `has an impossible base64 length ${body.length}`;
  const standard = dialect === 'adapted' ? body.replaceAll('.', '+') : body;
  const bytes = Buffer.from(standard, 'base64');
  if (dialect === 'standard-raw-strict' && bytes.toString('base64').replace(/=+$/, '') !== standard) {
    return 'is not canonical base64 (non-zero trailing bits)';
  }
  return new Uint8Array(bytes);
}

/** Encodes bytes in the given dialect (the canonical form of each). */
export function encodeBase64(bytes: Uint8Array, dialect: Base64Dialect): string {
  const standard = Buffer.from(bytes).toString('base64');
  switch (dialect) {
    case 'standard-padded':
      return standard;
    case 'adapted':
      return standard.replace(/=+$/, '').replaceAll('+', '.');
    default:
      return standard.replace(/=+$/, '');
  }
}
