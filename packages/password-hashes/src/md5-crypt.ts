// md5-crypt ($1$), written from Poul-Henning Kamp's FreeBSD crypt-md5.c; node:crypto supplies md5.
import { createHash } from 'node:crypto';
import { crypt64From24Bits } from './sha-crypt.js';

const MAGIC = '$1$';

const md5 = (...parts: Buffer[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** Computes the complete encoded md5-crypt string for `password` (salt: at most 8 characters count). */
export function md5Crypt(password: string, saltText: string): string {
  const key = Buffer.from(password, 'utf8');
  const salt = Buffer.from(saltText.slice(0, 8), 'utf8');

  const alternate = md5(key, salt, key);
  const context = createHash('md5').update(key).update(MAGIC).update(salt);
  for (let left = key.length; left > 0; left -= 16) context.update(alternate.subarray(0, Math.min(left, 16)));
  // The original clears `final` first, so a set bit adds a zero byte; a clear bit adds key[0].
  for (let n = key.length; n > 0; n >>= 1) context.update(n & 1 ? Buffer.of(0) : key.subarray(0, 1));
  let final = context.digest();

  // 1000 rounds, meant to slow down brute force.
  for (let i = 0; i < 1000; i++) {
    const round = createHash('md5');
    round.update(i & 1 ? key : final);
    if (i % 3 !== 0) round.update(salt);
    if (i % 7 !== 0) round.update(key);
    round.update(i & 1 ? final : key);
    final = round.digest();
  }

  const f = final;
  const checksum =
    crypt64From24Bits(f[0], f[6], f[12], 4) +
    crypt64From24Bits(f[1], f[7], f[13], 4) +
    crypt64From24Bits(f[2], f[8], f[14], 4) +
    crypt64From24Bits(f[3], f[9], f[15], 4) +
    crypt64From24Bits(f[4], f[10], f[5], 4) +
    crypt64From24Bits(0, 0, f[11], 2);
  return `${MAGIC}${salt.toString('utf8')}$${checksum}`;
}
