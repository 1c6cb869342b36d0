import { describe, expect, it } from 'vitest';
import { hashPassword } from './hash-password.js';
import { verifyPassword } from './verify-password.js';
import type { HashAlgorithm, HashPasswordParams } from './types.js';

// Hashes made by other implementations: OpenBSD's bcrypt test vectors, passlib- and Go-generated
// values from passwap's test suite, the argon2 reference CLI (via passwap), crypt(3) on this machine.
const INDEPENDENT: [source: string, encoded: string, password: string][] = [
  ['OpenBSD bcrypt', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'U*U'],
  ['OpenBSD bcrypt, empty password', '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.', ''],
  ['libxcrypt bcrypt 2b', '$2b$10$abcdefghijklmnopqrstuuM1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG', 'Password1!'],
  ['libxcrypt bcrypt 2y', '$2y$10$abcdefghijklmnopqrstuuM1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG', 'Password1!'],
  ['argon2 CLI argon2id', '$argon2id$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'password'],
  ['argon2 CLI argon2i', '$argon2i$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$YMvo8AUoNtnKYGqeODruCjHdiEbl1pKL2MsYy9VgU/E', 'password'],
  ['python scrypt', '$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ', 'password'],
  ['passlib pbkdf2-sha1', '$pbkdf2$12$cmFuZG9tc2FsdGlzaGFyZA$mwUqsMixIYMc/0eN4v1.l3SVDpk', 'password'],
  ['passlib pbkdf2-sha256', '$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY', 'password'],
  ['pbkdf2-sha256 standard base64, padded', '$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA==$OFvEcLOIPFd/oq8egf10i+qJLI7A8nDjPLnolCWarQY=', 'password'],
  [
    'passlib pbkdf2-sha512',
    '$pbkdf2-sha512$12$cmFuZG9tc2FsdGlzaGFyZA$e297piXvkpYxoYQAWD9zn1aKXCo3XmR91Xn9/WEGsHXU/7xaQzCV9upu4T5Jntq6AiZ6YX0diXnY7Ju5TEfUMA',
    'password',
  ],
  ['crypt(3) md5-crypt', '$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1', 'Hello world!'],
  ['crypt(3) sha256-crypt', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'Hello world!'],
  ['passwap md5salted suffix', '$md5salted-suffix$c2FsdA==$R58+SD/95ORa9VZ9BPS5FA==', 'Test1000!'],
  ['passwap md5salted prefix', '$md5salted-prefix$c2FsdA==$0M2MYNUmNumHqqQ+kmuTUQ==', 'Test1000!'],
  ['phpass test.php', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'test12345'],
  ['passlib drupal7', '$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02', 'password'],
  ['md5("password")', '5f4dcc3b5aa765d61d8327deb882cf99', 'password'],
  ['md5("password"), upper-case hex', '5F4DCC3B5AA765D61D8327DEB882CF99', 'password'],
];

describe('verifyPassword on independently produced hashes', () => {
  it.each(INDEPENDENT)('%s', async (_source, encoded, password) => {
    expect(await verifyPassword(encoded, password)).toBe(true);
    expect(await verifyPassword(encoded, `${password}!`)).toBe(false);
  });
});

const SALT16 = Buffer.from('0123456789abcdef');
const ROUND_TRIPS: [HashAlgorithm, HashPasswordParams][] = [
  ['bcrypt', { cost: 4 }],
  ['bcrypt', { cost: 4, variant: '2a' }],
  ['bcrypt', { cost: 4, variant: '2y' }],
  ['md5', {}],
  ['sha2', { variant: 'sha256' }],
  ['sha2', { variant: 'sha512', rounds: 1000 }],
  ['scrypt', { ln: 10, r: 8, p: 1 }],
  ['scrypt', { ln: 10, r: 8, p: 2, variant: '7' }],
  ['pbkdf2', { variant: 'sha1', rounds: 1000 }],
  ['pbkdf2', { variant: 'sha224', rounds: 1000 }],
  ['pbkdf2', { variant: 'sha256', rounds: 1000, salt: SALT16 }],
  ['pbkdf2', { variant: 'sha384', rounds: 1000 }],
  ['pbkdf2', { variant: 'sha512', rounds: 1000 }],
  ['argon2', { variant: 'argon2i', m: 256, t: 1, p: 1 }],
  ['argon2', { variant: 'argon2id', m: 256, t: 2, p: 2 }],
  ['md5salted', { variant: 'suffix' }],
  ['md5salted', { variant: 'prefix', salt: 'pepper' }],
  ['phpass', { variant: 'P', rounds: 7 }],
  ['phpass', { variant: 'H', rounds: 8 }],
  ['drupal7', { iterations: 1024 }],
  ['md5plain', {}],
];

describe('hashPassword → verifyPassword round trips', () => {
  it.each(ROUND_TRIPS)('%s %j', async (algorithm, params) => {
    const passwords = algorithm === 'argon2' ? ['Password1!', 'Ünïcødé 密码 🔑'] : ['Password1!', 'Ünïcødé 密码 🔑', ''];
    for (const password of passwords) {
      const encoded = await hashPassword(algorithm, password, params);
      expect(await verifyPassword(encoded, password)).toBe(true);
      expect(await verifyPassword(encoded, `${password}x`)).toBe(false);
    }
  });

  it('argon2 (hash-wasm) refuses an empty password instead of guessing', async () => {
    await expect(hashPassword('argon2', '', { m: 256, t: 1 })).rejects.toThrow('argon2 via hash-wasm cannot hash an empty password');
    const encoded = await hashPassword('argon2', 'x', { m: 256, t: 1 });
    expect(await verifyPassword(encoded, '')).toBe(false);
  });

  it('defaults bcrypt to $2b$ cost 10', async () => {
    expect(await hashPassword('bcrypt', 'Password1!')).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
  });

  it('uses random salts unless one is given', async () => {
    expect(await hashPassword('md5', 'x')).not.toBe(await hashPassword('md5', 'x'));
    expect(await hashPassword('pbkdf2', 'x', { rounds: 1000, salt: SALT16 })).toBe(await hashPassword('pbkdf2', 'x', { rounds: 1000, salt: SALT16 }));
  });

  it('refuses an unknown variant', async () => {
    await expect(hashPassword('pbkdf2', 'x', { variant: 'md5' })).rejects.toThrow('variant must be one of sha1, sha224, sha256, sha384, sha512 (got md5)');
  });
});

describe('verifyPassword on things that are not hashes', () => {
  it.each(['', 'hunter2', '$2b$10$short', `${'a'.repeat(64)}`, '$pbkdf2-sha512$i=1000,l=64$c2FsdA$aGFzaA'])('%j → false', async (encoded) => {
    expect(await verifyPassword(encoded, 'hunter2')).toBe(false);
  });
});
