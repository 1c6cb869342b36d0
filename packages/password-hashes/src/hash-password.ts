// Produces a valid encoded hash in each passwap format from a password, with the real algorithms.
// Used by tests everywhere (vectors computed, never typed in) and by the emulator's own tests.
import { createHash, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { CRYPT64_ALPHABET, encodeBase64 } from './encoding.js';
import { loadBcrypt, loadHashWasm } from './lazy-libraries.js';
import { md5Crypt } from './md5-crypt.js';
import { drupal7Hash, phpassHash } from './portable-hash.js';
import { shaCrypt } from './sha-crypt.js';
import type { HashAlgorithm, HashPasswordParams, Pbkdf2Digest } from './types.js';

const PBKDF2_DIGEST_BYTES: { [digest in Pbkdf2Digest]: number } = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

function randomCrypt64(length: number): string {
  return [...randomBytes(length)].map((byte) => CRYPT64_ALPHABET[byte & 63]).join('');
}

function saltText(params: HashPasswordParams, length: number): string {
  if (params.salt === undefined) return randomCrypt64(length);
  return typeof params.salt === 'string' ? params.salt : Buffer.from(params.salt).toString('utf8');
}

function saltBytes(params: HashPasswordParams, length: number): Uint8Array {
  if (params.salt === undefined) return randomBytes(length);
  return typeof params.salt === 'string' ? Buffer.from(params.salt, 'utf8') : params.salt;
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new RangeError(`variant must be one of ${allowed.join(', ')} (got ${value})`);
  return value as T;
}

/**
 * Hashes `password` in `algorithm`'s passwap encoding. Defaults: bcrypt $2b$ cost 10, sha512-crypt,
 * pbkdf2-sha512 100,000 rounds, argon2id m=19456,t=2,p=1, scrypt ln=14,r=8,p=1, phpass $P$ log2 8,
 * drupal7 2^15 iterations, md5salted suffix; random salts unless `params.salt` is given.
 */
export async function hashPassword(algorithm: HashAlgorithm, password: string, params: HashPasswordParams = {}): Promise<string> {
  switch (algorithm) {
    case 'bcrypt': {
      const variant = pick(params.variant, ['2a', '2b', '2y'] as const, '2b');
      const cost = params.cost ?? 10;
      const bcrypt = await loadBcrypt();
      const salt = params.salt === undefined ? await bcrypt.genSalt(cost) : `$2b$${String(cost).padStart(2, '0')}$${saltText(params, 22)}`;
      // 2a, 2b and 2y compute the same for passwords under 255 bytes; only the prefix differs.
      return `$${variant}${(await bcrypt.hash(password, salt)).slice(3)}`;
    }
    case 'md5':
      return md5Crypt(password, saltText(params, 8));
    case 'sha2': {
      const variant = pick(params.variant, ['sha256', 'sha512'] as const, 'sha512');
      return shaCrypt(password, { variant, salt: saltText(params, 16), rounds: params.rounds });
    }
    case 'scrypt': {
      const variant = pick(params.variant, ['scrypt', '7'] as const, 'scrypt');
      const { ln = 14, r = 8, p = 1, keyLength = 32 } = params;
      const salt = saltBytes(params, 16);
      const n = 2 ** ln;
      const hash = scryptSync(password, salt, keyLength, { N: n, r, p, maxmem: 128 * n * r + 128 * r * p + 32 * 1024 * 1024 });
      return `$${variant}$ln=${ln},r=${r},p=${p}$${encodeBase64(salt, 'standard-raw-strict')}$${encodeBase64(hash, 'standard-raw-strict')}`;
    }
    case 'pbkdf2': {
      const digest = pick(params.variant, ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const, 'sha512');
      const rounds = params.rounds ?? 100_000;
      const salt = saltBytes(params, 16);
      const hash = pbkdf2Sync(password, salt, rounds, params.keyLength ?? PBKDF2_DIGEST_BYTES[digest], digest);
      const id = digest === 'sha1' ? 'pbkdf2' : `pbkdf2-${digest}`;
      return `$${id}$${rounds}$${encodeBase64(salt, 'adapted')}$${encodeBase64(hash, 'adapted')}`;
    }
    case 'argon2': {
      const variant = pick(params.variant, ['argon2i', 'argon2id'] as const, 'argon2id');
      const { m = 19456, t = 2, p = 1, keyLength = 32 } = params;
      if (password.length === 0) throw new RangeError('argon2 via hash-wasm cannot hash an empty password');
      const salt = saltBytes(params, 16);
      const { argon2i, argon2id } = await loadHashWasm();
      const derive = variant === 'argon2i' ? argon2i : argon2id;
      const hash = await derive({ password, salt, iterations: t, parallelism: p, memorySize: m, hashLength: keyLength, outputType: 'binary' });
      return `$${variant}$v=19$m=${m},t=${t},p=${p}$${encodeBase64(salt, 'standard-raw-strict')}$${encodeBase64(hash, 'standard-raw-strict')}`;
    }
    case 'md5salted': {
      const variant = pick(params.variant, ['suffix', 'prefix'] as const, 'suffix');
      const salt = saltText(params, 8);
      const digest = createHash('md5').update(variant === 'prefix' ? salt + password : password + salt, 'utf8').digest();
      return `$md5salted-${variant}$${salt}$${encodeBase64(digest, 'standard-padded')}`;
    }
    case 'phpass': {
      const variant = pick(params.variant, ['P', 'H'] as const, 'P');
      return phpassHash(password, variant, params.rounds ?? 8, saltText(params, 8));
    }
    case 'drupal7': {
      const log2 = Math.log2(params.iterations ?? 2 ** 15);
      if (!Number.isInteger(log2) || log2 < 0 || log2 > 63) throw new RangeError('drupal7 iterations must be a power of two');
      return drupal7Hash(password, log2, saltText(params, 8));
    }
    case 'md5plain':
      return createHash('md5').update(password, 'utf8').digest('hex');
  }
}
