// phpass portable hashes ($P$, $H$: iterated md5) and Drupal 7 ($S$: iterated sha512). Both write
// id + one character for log2 of the iterations + an 8-character salt + crypt64 of the digest.
import { createHash } from 'node:crypto';
import { CRYPT64_ALPHABET, encodeCrypt64 } from './encoding.js';

function iterate(algorithm: 'md5' | 'sha512', password: Buffer, salt: Buffer, iterations: number): Buffer {
  let digest = createHash(algorithm).update(salt).update(password).digest();
  for (let i = 0; i < iterations; i++) digest = createHash(algorithm).update(digest).update(password).digest();
  return digest;
}

/** phpass `CryptPrivate`: `id` is `P` or `H`, `log2Rounds` 0..63, `salt` 8 characters. */
export function phpassHash(password: string, id: 'P' | 'H', log2Rounds: number, salt: string): string {
  const digest = iterate('md5', Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), 2 ** log2Rounds);
  return `$${id}$${CRYPT64_ALPHABET[log2Rounds]}${salt}${encodeCrypt64(digest)}`;
}

/** Drupal 7 `_password_crypt` with sha512; the encoded string is cut to 55 characters as Drupal does. */
export function drupal7Hash(password: string, log2Iterations: number, salt: string): string {
  const digest = iterate('sha512', Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), 2 ** log2Iterations);
  return `$S$${CRYPT64_ALPHABET[log2Iterations]}${salt}${encodeCrypt64(digest)}`.slice(0, 55);
}
