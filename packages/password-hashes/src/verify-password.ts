// Real verification of every passwap format: bcryptjs for bcrypt, hash-wasm for argon2, node:crypto
// for scrypt, pbkdf2 and the md5/sha digests, and this package's crypt implementations.
import { createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { BCRYPT64_ALPHABET, type Base64Dialect, decodeBase64 } from './encoding.js';
import { loadBcrypt, loadHashWasm } from './lazy-libraries.js';
import { md5Crypt } from './md5-crypt.js';
import { parsePasswordHash } from './parse-hash.js';
import { drupal7Hash, phpassHash } from './portable-hash.js';
import { shaCrypt } from './sha-crypt.js';
import type { ParsedHash } from './types.js';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (password: string, salt: Uint8Array, keyLength: number, options: object) => Promise<Buffer>;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function sameText(a: string, b: string): boolean {
  return sameBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Decodes a part that `parsePasswordHash` already accepted (so decoding cannot fail here). */
function bytesOf(text: string, dialect: Base64Dialect): Uint8Array {
  const decoded = decodeBase64(text, dialect);
  if (typeof decoded === 'string') throw new Error(`unreachable: parsed hash part ${decoded}`);
  return decoded;
}

const pbkdf2Dialect = (text: string): Base64Dialect => (text.includes('+') ? 'standard-lenient' : 'adapted');

/** Verifies `password` against an already parsed hash; false on mismatch. */
export async function verifyParsedHash(parsed: ParsedHash, password: string): Promise<boolean> {
  switch (parsed.algorithm) {
    case 'bcrypt':
      return (await loadBcrypt()).compare(password, canonicalBcryptSalt(parsed.encoded));
    case 'md5':
      return sameText(md5Crypt(password, parsed.salt), parsed.encoded);
    case 'sha2': {
      const explicitRounds = parsed.encoded.startsWith('rounds=', 3) ? parsed.params.rounds : undefined;
      return sameText(shaCrypt(password, { variant: parsed.variant, salt: parsed.salt, rounds: explicitRounds }), parsed.encoded);
    }
    case 'scrypt': {
      const { ln, r, p, keyLength } = parsed.params;
      const n = 2 ** ln;
      const expected = bytesOf(parsed.checksum, 'standard-raw-strict');
      const actual = await scryptAsync(password, bytesOf(parsed.salt, 'standard-raw-strict'), keyLength, {
        N: n,
        r,
        p,
        maxmem: 128 * n * r + 128 * r * p + 32 * 1024 * 1024,
      });
      return sameBytes(actual, expected);
    }
    case 'pbkdf2': {
      const { keyLength } = parsed.params;
      // x/crypto's pbkdf2.Key computes the first block for 0 rounds as for 1.
      const rounds = Math.max(1, parsed.params.rounds);
      const salt = bytesOf(parsed.salt, pbkdf2Dialect(parsed.salt));
      const actual = await pbkdf2Async(password, salt, rounds, keyLength, parsed.variant);
      return sameBytes(actual, bytesOf(parsed.checksum, pbkdf2Dialect(parsed.checksum)));
    }
    case 'argon2': {
      const { m, t, p, keyLength } = parsed.params;
      // hash-wasm cannot take an empty password (RFC 9106 allows one); no real login uses it.
      if (password.length === 0) return false;
      const { argon2i, argon2id } = await loadHashWasm();
      const derive = parsed.variant === 'argon2i' ? argon2i : argon2id;
      const actual = await derive({
        password,
        salt: bytesOf(parsed.salt, 'standard-raw-strict'),
        iterations: t,
        parallelism: p,
        memorySize: m,
        hashLength: keyLength,
        outputType: 'binary',
      });
      return sameBytes(actual, bytesOf(parsed.checksum, 'standard-raw-strict'));
    }
    case 'md5salted': {
      const input = parsed.variant === 'prefix' ? parsed.salt + password : password + parsed.salt;
      return sameBytes(createHash('md5').update(input, 'utf8').digest(), bytesOf(parsed.checksum, 'standard-padded'));
    }
    case 'phpass':
      return sameText(phpassHash(password, parsed.variant, parsed.params.rounds, parsed.salt), parsed.encoded);
    case 'drupal7':
      return sameText(drupal7Hash(password, Math.log2(parsed.params.iterations), parsed.salt), parsed.encoded);
    case 'md5plain':
      return sameText(createHash('md5').update(password, 'utf8').digest('hex'), parsed.encoded.toLowerCase());
  }
}

/**
 * bcrypt keeps the salt as written: x/crypto decodes its 22 characters leniently (the last one's
 * 4 low bits are padding and ignored) and compares `prefix + salt text + hash`, so a salt whose last
 * character has padding bits set still verifies in ZITADEL. bcryptjs re-encodes the salt it
 * decoded and compares the whole string, so it would never match: hand it the canonical salt
 * character, which decodes to the same bytes.
 */
function canonicalBcryptSalt(encoded: string): string {
  const last = 7 + 21;
  const index = BCRYPT64_ALPHABET.indexOf(encoded[last]);
  const canonical = BCRYPT64_ALPHABET[index & 0b110000];
  return canonical === encoded[last] ? encoded : encoded.slice(0, last) + canonical + encoded.slice(last + 1);
}

/** `match`, `mismatch`, or `unverifiable`: not a passwap hash, or parameters no computation accepts. */
export type VerifyOutcome = 'match' | 'mismatch' | 'unverifiable';

/** Memory a check may take (argon2 m KiB, scrypt 128·N·r bytes) before it is called unverifiable. */
const MAX_CHECK_MEMORY_BYTES = 2 * 1024 ** 3;

function tooExpensive(parsed: ParsedHash): boolean {
  if (parsed.algorithm === 'argon2') return parsed.params.m * 1024 > MAX_CHECK_MEMORY_BYTES;
  if (parsed.algorithm === 'scrypt') return 128 * 2 ** parsed.params.ln * parsed.params.r > MAX_CHECK_MEMORY_BYTES;
  return false;
}

/** Checks `password` against `encoded` with the real algorithm of its format; never throws. */
export async function verifyPasswordOutcome(encoded: string, password: string): Promise<VerifyOutcome> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed.ok || tooExpensive(parsed)) return 'unverifiable';
  try {
    return (await verifyParsedHash(parsed, password)) ? 'match' : 'mismatch';
  } catch {
    // A parameter the library refuses (e.g. a scrypt N it cannot allocate): no answer either way.
    return 'unverifiable';
  }
}

/**
 * Checks `password` against `encoded` with the real algorithm of its format. Resolves false for a
 * wrong password, for a string that is not a passwap hash and for parameters out of any bound;
 * never throws.
 */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  return (await verifyPasswordOutcome(encoded, password)) === 'match';
}
