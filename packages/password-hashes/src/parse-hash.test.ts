import { describe, expect, it } from 'vitest';
import { hashPassword } from './hash-password.js';
import { parsePasswordHash } from './parse-hash.js';
import type { HashParseError, ParsedHash } from './types.js';

const BCRYPT = '$2b$10$abcdefghijklmnopqrstuuM1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG'; // crypt(3) of "Password1!"
const SALT16 = Buffer.from('randomsaltishard');

function parsed(encoded: string): ParsedHash {
  const result = parsePasswordHash(encoded);
  if (!result.ok) throw new Error(`expected a parse, got: ${result.reason}`);
  return result;
}

describe('parsePasswordHash recognises and takes apart every passwap format', () => {
  it.each([
    [BCRYPT, 'bcrypt', '2b', { cost: 10 }],
    ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'bcrypt', '2a', { cost: 5 }],
    ['$2y$12$hXUrnqdq1RIIYZ2HPytIIe5lXdIvbhqrTvdPsSF7o.jFh817Z6lwm', 'bcrypt', '2y', { cost: 12 }],
    ['$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1', 'md5', 'md5-crypt', {}],
    ['$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'sha2', 'sha256', { rounds: 5000 }],
    ['$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1', 'sha2', 'sha512', { rounds: 1400 }],
    ['$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ', 'scrypt', 'scrypt', { ln: 16, r: 8, p: 1, keyLength: 32 }],
    ['$7$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ', 'scrypt', '7', { ln: 16, r: 8, p: 1, keyLength: 32 }],
    ['$pbkdf2$12$cmFuZG9tc2FsdGlzaGFyZA$mwUqsMixIYMc/0eN4v1.l3SVDpk', 'pbkdf2', 'sha1', { rounds: 12, keyLength: 20 }],
    ['$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA==$OFvEcLOIPFd/oq8egf10i+qJLI7A8nDjPLnolCWarQY=', 'pbkdf2', 'sha256', { rounds: 12, keyLength: 32 }],
    ['$argon2id$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'argon2', 'argon2id', { v: 19, m: 4096, t: 3, p: 1, keyLength: 32 }],
    ['$argon2i$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$YMvo8AUoNtnKYGqeODruCjHdiEbl1pKL2MsYy9VgU/E', 'argon2', 'argon2i', { v: 19, m: 4096, t: 3, p: 1, keyLength: 32 }],
    ['$md5salted-suffix$c2FsdA==$R58+SD/95ORa9VZ9BPS5FA==', 'md5salted', 'suffix', {}],
    ['$md5salted-prefix$c2FsdA==$0M2MYNUmNumHqqQ+kmuTUQ==', 'md5salted', 'prefix', {}],
    ['$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'phpass', 'P', { rounds: 11 }],
    ['$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'phpass', 'H', { rounds: 11 }],
    ['$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02', 'drupal7', 'S', { iterations: 65536 }],
    ['5f4dcc3b5aa765d61d8327deb882cf99', 'md5plain', 'md5', {}],
    ['5F4DCC3B5AA765D61D8327DEB882CF99', 'md5plain', 'md5', {}],
  ])('%s → %s %s', (encoded, algorithm, variant, params) => {
    const result = parsed(encoded);
    expect(result).toMatchObject({ ok: true, algorithm, variant, params, encoded });
  });

  it('splits salt and checksum as written', () => {
    expect(parsed(BCRYPT)).toMatchObject({ salt: 'abcdefghijklmnopqrstuu', checksum: 'M1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG' });
    expect(parsed('$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1')).toMatchObject({ salt: 'saltstri', checksum: 'YMyguxXMBpd2TEZ.vS/3q1' });
    expect(parsed('$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02')).toMatchObject({ salt: 'randomsa' });
  });

  it('reads what hashPassword writes, for every algorithm', async () => {
    const cases = [
      ['bcrypt', { cost: 4 }], ['md5', {}], ['sha2', { variant: 'sha256', rounds: 1000 }], ['scrypt', { ln: 4, salt: SALT16 }],
      ['pbkdf2', { variant: 'sha384', rounds: 1000, salt: SALT16 }], ['argon2', { m: 64, t: 1, salt: SALT16 }], ['md5salted', { variant: 'prefix' }],
      ['phpass', { rounds: 7 }], ['drupal7', { iterations: 1024 }], ['md5plain', {}],
    ] as const;
    for (const [algorithm, params] of cases) {
      expect(parsed(await hashPassword(algorithm, 'secret', params)).algorithm).toBe(algorithm);
    }
  });
});

const SCRYPT_7_LIBXCRYPT = '$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D';

const ERRORS: [label: string, encoded: string, kind: HashParseError['kind'], reason: string][] = [
  ['empty', '', 'invalid', 'hash is empty'],
  ['whitespace', ` ${BCRYPT}`, 'invalid', 'hash has leading or trailing whitespace'],
  ['bcrypt $2x$', BCRYPT.replace('$2b$', '$2x$'), 'unsupported', 'bcrypt version $2x$ is not supported by ZITADEL (only $2a$, $2b$, $2y$)'],
  ['bcrypt $2$', BCRYPT.replace('$2b$', '$2$'), 'unsupported', 'bcrypt version $2$ is not supported by ZITADEL (only $2a$, $2b$, $2y$)'],
  ['bcrypt 1-digit cost', BCRYPT.replace('$10$', '$9$'), 'invalid', 'bcrypt cost must be 2 digits followed by $'],
  ['bcrypt cost 03', BCRYPT.replace('$10$', '$03$'), 'invalid', 'bcrypt cost must be between 04 and 31 (got 03)'],
  ['bcrypt cost 32', BCRYPT.replace('$10$', '$32$'), 'invalid', 'bcrypt cost must be between 04 and 31 (got 32)'],
  ['bcrypt short salt', BCRYPT.slice(0, 28), 'invalid', 'bcrypt salt must be 22 characters of ./A-Za-z0-9 (got 21)'],
  ['bcrypt salt alphabet', BCRYPT.replace('abcde', 'abcd!'), 'invalid', 'bcrypt salt must be 22 characters of ./A-Za-z0-9 (character 5 is not)'],
  ['bcrypt short hash', BCRYPT.slice(0, -1), 'invalid', 'bcrypt hash must be 31 characters of ./A-Za-z0-9 (got 30)'],
  ['bcrypt long hash', `${BCRYPT}x`, 'invalid', 'bcrypt hash must be 31 characters of ./A-Za-z0-9 (got 32)'],
  ['bcrypt hash alphabet', BCRYPT.replace('M1Nm', 'M1N+'), 'invalid', 'bcrypt hash must be 31 characters of ./A-Za-z0-9 (character 4 is not)'],
  ['md5-crypt long salt', '$1$saltstringx$YMyguxXMBpd2TEZ.vS/3q1', 'invalid', 'md5-crypt salt must be 1 to 8 characters of ./0-9A-Za-z (got 11)'],
  ['md5-crypt short hash', '$1$saltstri$YMyguxXMBpd2TEZ.vS/3q', 'invalid', 'md5-crypt hash must be 22 characters of ./0-9A-Za-z (got 21)'],
  ['md5-crypt parts', '$1$saltstri', 'invalid', 'md5-crypt hash must be $1$<salt>$<hash>'],
  ['sha256 rounds text', '$5$rounds=ten$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'invalid', 'sha256-crypt rounds must be written rounds=<number> without leading zeros'],
  ['sha256 hash length', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc', 'invalid', 'sha256-crypt hash must be 43 characters of ./0-9A-Za-z (got 42)'],
  ['sha512 salt length', `$6$saltstringsaltstr$${'a'.repeat(86)}`, 'invalid', 'sha512-crypt salt must be at most 16 characters of ./0-9A-Za-z (got 17)'],
  ['scrypt $7$ libxcrypt', SCRYPT_7_LIBXCRYPT, 'unsupported', 'scrypt $7$ in the libxcrypt form is not supported by ZITADEL (only $7$ln=…,r=…,p=…$salt$hash)'],
  ['scrypt params order', '$scrypt$r=8,ln=16,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ', 'invalid', 'scrypt parameters must be ln=<log2 N>,r=<block size>,p=<parallelism>'],
  ['scrypt padded salt', '$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA==$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ', 'invalid', 'scrypt salt is not base64 (A-Za-z0-9+/)'],
  ['pbkdf2 md5 digest', '$pbkdf2-md5$1000$c2FsdA$aGFzaA', 'unsupported', 'pbkdf2 digest "md5" is not supported by ZITADEL (only sha1, sha224, sha256, sha384, sha512)'],
  ['pbkdf2 PHC', '$pbkdf2-sha512$i=1000,l=4$c2FsdA$aGFzaA', 'unsupported', 'pbkdf2 in PHC form (i=…,l=…) is not read by ZITADEL; it needs conversion to $pbkdf2-sha512$<rounds>$<salt>$<hash>'],
  ['pbkdf2 rounds', '$pbkdf2-sha256$1e3$c2FsdA$aGFzaA', 'invalid', 'pbkdf2 rounds must be a decimal number below 2^32'],
  ['pbkdf2 rounds overflow', '$pbkdf2-sha256$4294967296$c2FsdA$aGFzaA', 'invalid', 'pbkdf2 rounds must be a decimal number below 2^32'],
  ['pbkdf2 salt alphabet', '$pbkdf2-sha256$1000$c2F_dA$aGFzaA', 'invalid', 'pbkdf2 salt is not adapted base64 (A-Za-z0-9./)'],
  ['pbkdf2 mixed alphabets', '$pbkdf2-sha256$1000$c2FsdA$aG+z.A', 'invalid', 'pbkdf2 hash is not base64 (A-Za-z0-9+/)'],
  ['pbkdf2 missing hash', '$pbkdf2-sha256$1000$c2FsdA', 'invalid', 'pbkdf2 hash must be $pbkdf2-sha256$<rounds>$<salt>$<hash>'],
  ['argon2d', '$argon2d$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$CB0Du96aj3fQVcVSqb0LIA6Z6fpStjzjVkaC3RlpK9A', 'unsupported', 'argon2d is not supported by ZITADEL (only argon2i and argon2id)'],
  ['argon2 no version', '$argon2id$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id hash must state its version: $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>'],
  ['argon2 v=16', '$argon2id$v=16$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id version must be 19 (got 16)'],
  ['argon2 params order', '$argon2id$v=19$t=3,m=4096,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id parameters must be m=<KiB>,t=<passes>,p=<lanes> in that order'],
  ['argon2 short salt', '$argon2id$v=19$m=4096,t=3,p=1$c2FsdA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id salt must be at least 8 bytes (got 4)'],
  ['argon2 trailing bits', '$argon2id$v=19$m=4096,t=3,p=1$cmFuZG9tc2FsdGlzaGFyZB$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id salt is not canonical base64 (non-zero trailing bits)'],
  ['argon2 p=0', '$argon2id$v=19$m=4096,t=3,p=0$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU', 'invalid', 'argon2id parallelism p must be between 1 and 255 (got 0)'],
  ['md5salted no variant', '$md5salted$foo$R58+SD/95ORa9VZ9BPS5FA==', 'invalid', 'md5salted must be $md5salted-suffix$ or $md5salted-prefix$'],
  ['md5salted unpadded', '$md5salted-suffix$c2FsdA==$R58+SD/95ORa9VZ9BPS5FA', 'invalid', 'md5salted hash is not padded base64 (length 22 is not a multiple of 4)'],
  ['md5salted digest size', '$md5salted-suffix$salt$aGFzaA==', 'invalid', 'md5salted hash must be base64 of 16 bytes (got 4)'],
  ['phpass length', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L', 'invalid', 'phpass $P$ hash must be 34 characters (got 33)'],
  ['phpass alphabet', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L!', 'invalid', 'phpass $P$ hash must be 22 characters of ./0-9A-Za-z'],
  ['drupal7 length', '$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd0', 'invalid', 'drupal7 hash must be 55 characters (got 54)'],
  ['drupal7 rounds char', '$S$!randomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02', 'invalid', 'drupal7 rounds character must be one of ./0-9A-Za-z'],
  ['sha256 hex', 'a'.repeat(64), 'unsupported', 'unsalted sha256 hex is not supported by ZITADEL'],
  ['sha1 hex', 'b'.repeat(40), 'unsupported', 'unsalted sha1 hex is not supported by ZITADEL'],
  ['sha512 base64', Buffer.alloc(64, 7).toString('base64'), 'unsupported', 'unsalted sha512 base64 is not supported by ZITADEL'],
  ['md5 base64', Buffer.alloc(16, 7).toString('base64'), 'unsupported', 'unsalted md5 base64 is not read by ZITADEL (md5plain needs hex)'],
  ['LDAP SSHA', '{SSHA}c2FsdGVkaGFzaA==', 'unsupported', 'LDAP {SSHA} hashes are not supported by ZITADEL'],
  ['unknown modular', '$sha1$40000$salt$hash', 'unsupported', 'hash format $sha1$ is not supported by ZITADEL'],
  ['unknown', 'hunter2', 'unsupported', 'unknown hash format (no ZITADEL verifier recognises it)'],
];

describe('parsePasswordHash failures', () => {
  it.each(ERRORS)('%s', (_label, encoded, kind, reason) => {
    const result = parsePasswordHash(encoded);
    expect(result).toMatchObject({ ok: false, kind, reason });
  });

  it('refuses a non-string from untyped callers', () => {
    expect(parsePasswordHash(42 as unknown as string)).toMatchObject({ ok: false, kind: 'invalid', reason: 'hash is not a string' });
  });

  it('never quotes the salt or the hash in a reason', () => {
    for (const [, encoded] of ERRORS) {
      const result = parsePasswordHash(encoded);
      if (result.ok) throw new Error('unexpected parse');
      for (const part of encoded.split('$').slice(2).filter((p) => p.length >= 8)) expect(result.reason).not.toContain(part);
    }
  });
});
