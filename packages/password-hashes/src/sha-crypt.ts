// SHA-256-crypt and SHA-512-crypt ($5$, $6$), written from Ulrich Drepper's specification
// (https://www.akkadia.org/drepper/SHA-crypt.txt); node:crypto supplies the digests.
import { createHash } from 'node:crypto';
import { CRYPT64_ALPHABET } from './encoding.js';

export const SHA_CRYPT_DEFAULT_ROUNDS = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;

/** Byte triples (high, middle, low) in the spec's output order; the last group is shorter. */
const SHA256_ORDER = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
];
const SHA512_ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

/** The spec's b64_from_24bit: `count` characters of the 24-bit value, least significant first. */
export function crypt64From24Bits(high: number, middle: number, low: number, count: number): string {
  let value = (high << 16) | (middle << 8) | low;
  let out = '';
  for (let i = 0; i < count; i++) {
    out += CRYPT64_ALPHABET[value & 63];
    value >>>= 6;
  }
  return out;
}

/** `source` repeated (and cut) to exactly `length` bytes: the spec's P and S sequences. */
function repeatTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length) source.copy(out, i, 0, Math.min(source.length, length - i));
  return out;
}

export interface ShaCryptOptions {
  variant: 'sha256' | 'sha512';
  /** Salt text; only its first 16 characters count. */
  salt: string;
  /** When given, clamped to 1000..999,999,999 and written as `rounds=N$`; else 5000, not written. */
  rounds?: number;
}

/** Computes the complete encoded sha2-crypt string for `password`. */
export function shaCrypt(password: string, options: ShaCryptOptions): string {
  const algorithm = options.variant;
  const digest = (...parts: Buffer[]) => {
    const hash = createHash(algorithm);
    for (const part of parts) hash.update(part);
    return hash.digest();
  };
  const key = Buffer.from(password, 'utf8');
  const saltText = options.salt.slice(0, 16);
  const salt = Buffer.from(saltText, 'utf8');
  const rounds = options.rounds === undefined ? SHA_CRYPT_DEFAULT_ROUNDS : Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, options.rounds));

  // Steps 4-8: digest B = key, salt, key.
  const b = digest(key, salt, key);
  // Steps 1-3, 9-12: digest A.
  const a = createHash(algorithm).update(key).update(salt);
  a.update(repeatTo(b, key.length));
  for (let n = key.length; n > 0; n >>= 1) a.update(n & 1 ? b : key);
  const digestA = a.digest();
  // Steps 13-16: P sequence from DP = key repeated key-length times.
  const dp = createHash(algorithm);
  for (let i = 0; i < key.length; i++) dp.update(key);
  const p = repeatTo(dp.digest(), key.length);
  // Steps 17-20: S sequence from DS = salt repeated 16 + A[0] times.
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + digestA[0]; i++) ds.update(salt);
  const s = repeatTo(ds.digest(), salt.length);
  // Step 21: the rounds.
  let c = digestA;
  for (let i = 0; i < rounds; i++) {
    const round = createHash(algorithm);
    round.update(i & 1 ? p : c);
    if (i % 3 !== 0) round.update(s);
    if (i % 7 !== 0) round.update(p);
    round.update(i & 1 ? c : p);
    c = round.digest();
  }

  let checksum = '';
  const order = algorithm === 'sha256' ? SHA256_ORDER : SHA512_ORDER;
  for (const [high, middle, low] of order) checksum += crypt64From24Bits(c[high], c[middle], c[low], 4);
  checksum += algorithm === 'sha256' ? crypt64From24Bits(0, c[31], c[30], 3) : crypt64From24Bits(0, 0, c[63], 2);

  const id = algorithm === 'sha256' ? '5' : '6';
  const roundsPart = options.rounds === undefined ? '' : `rounds=${rounds}$`;
  return `$${id}$${roundsPart}${saltText}$${checksum}`;
}
