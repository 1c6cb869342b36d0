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
