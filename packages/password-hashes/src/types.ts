/** The verifier names of ZITADEL's passwap, as used in `allow:` lists and emulator config. */
export type HashAlgorithm =
  | 'bcrypt'
  | 'md5' // md5-crypt, $1$
  | 'sha2' // sha256-crypt $5$ / sha512-crypt $6$
  | 'scrypt'
  | 'pbkdf2'
  | 'argon2' // argon2i and argon2id
  | 'md5salted'
  | 'phpass'
  | 'drupal7'
  | 'md5plain';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = [
  'bcrypt', 'md5', 'sha2', 'scrypt', 'pbkdf2', 'argon2', 'md5salted', 'phpass', 'drupal7', 'md5plain',
];

/** True when `name` is one of passwap's verifier names. */
export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(name);
}

/** The pbkdf2 HMAC digests passwap knows (`$pbkdf2$` is sha1). */
export type Pbkdf2Digest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/**
 * The variant and cost parameters of each algorithm. Parameter names follow the encoded form:
 * bcrypt `cost`; sha2/pbkdf2 `rounds`; argon2 `v`, `m` (KiB), `t`, `p`; scrypt `ln` (log2 N), `r`, `p`;
 * phpass `rounds` (log2 of the md5 iterations, as passwap bounds it); drupal7 `iterations`.
 * `keyLength` is the decoded digest length in bytes where the format lets it vary.
 */
export type HashVariant =
  | { algorithm: 'bcrypt'; variant: '2a' | '2b' | '2y'; params: { cost: number } }
  | { algorithm: 'md5'; variant: 'md5-crypt'; params: Record<string, never> }
  | { algorithm: 'sha2'; variant: 'sha256' | 'sha512'; params: { rounds: number } }
  | { algorithm: 'scrypt'; variant: 'scrypt' | '7'; params: { ln: number; r: number; p: number; keyLength: number } }
  | { algorithm: 'pbkdf2'; variant: Pbkdf2Digest; params: { rounds: number; keyLength: number } }
  | { algorithm: 'argon2'; variant: 'argon2i' | 'argon2id'; params: { v: number; m: number; t: number; p: number; keyLength: number } }
  | { algorithm: 'md5salted'; variant: 'suffix' | 'prefix'; params: Record<string, never> }
  | { algorithm: 'phpass'; variant: 'P' | 'H'; params: { rounds: number } }
  | { algorithm: 'drupal7'; variant: 'S'; params: { iterations: number } }
  | { algorithm: 'md5plain'; variant: 'md5'; params: Record<string, never> };

/**
 * A hash that passwap would read, taken apart. `salt` and `checksum` are the parts as written in
 * `encoded` (crypt formats compare encoded text; base64 formats are decoded where verified).
 * For sha2 without `rounds=N$`, `params.rounds` is the default 5000.
 */
export type ParsedHash = HashVariant & {
  ok: true;
  encoded: string;
  salt: string;
  checksum: string;
};

/**
 * Why a string is not a hash ZITADEL can import. `invalid`: a known format, malformed (ZITADEL:
 * `Password.Invalid`); `unsupported`: a format passwap has no verifier for (`Password.NotSupported`).
 * `reason` never contains the hash itself.
 */
export interface HashParseError {
  ok: false;
  kind: 'invalid' | 'unsupported';
  /** The passwap algorithm the prefix belongs to, when it was recognised. */
  algorithm?: HashAlgorithm;
  reason: string;
}

/** An inclusive range of allowed values. */
export interface CostRange {
  min: number;
  max: number;
}

/** Cost parameter bounds per algorithm, as ZITADEL checks them on import. */
export interface CostBounds {
  bcrypt: { cost: CostRange };
  argon2: { t: CostRange; m: CostRange; p: CostRange };
  scrypt: { ln: CostRange; r: CostRange; p: CostRange };
  pbkdf2: { rounds: CostRange };
  sha2: { rounds: CostRange };
  phpass: { rounds: CostRange };
  drupal7: { iterations: CostRange };
}

/** The result of turning an Auth0 export hash into a passwap-encoded one. */
export interface ConvertedHash {
  encoded: string;
  /** Name of the source form, e.g. `pbkdf2-phc`, `md5-hex`. */
  from: string;
  to: HashAlgorithm;
}

/** Optional parameters of `hashPassword`; each algorithm reads the ones it has. */
export interface HashPasswordParams {
  /** e.g. bcrypt `2a|2b|2y`, sha2 `sha256|sha512`, pbkdf2 digest, argon2 `argon2i|argon2id`, phpass `P|H`, md5salted `suffix|prefix`. */
  variant?: string;
  /** bcrypt cost (default 10). */
  cost?: number;
  /** sha2 and pbkdf2 rounds; phpass log2 rounds; drupal7 uses `iterations`. */
  rounds?: number;
  iterations?: number;
  /** argon2 memory in KiB, time, parallelism; scrypt p. */
  m?: number;
  t?: number;
  p?: number;
  /** scrypt log2 N and block size. */
  ln?: number;
  r?: number;
  /** Salt to use instead of a random one (text for crypt formats, bytes for the others). */
  salt?: string | Uint8Array;
  /** Digest length in bytes for pbkdf2, argon2 and scrypt. */
  keyLength?: number;
}
