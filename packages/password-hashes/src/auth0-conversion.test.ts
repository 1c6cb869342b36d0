import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auth0ConversionProblem, convertAuth0Hash } from './auth0-conversion.js';
import { describeForeignHash } from './foreign-hashes.js';
import { parsePasswordHash } from './parse-hash.js';
import { verifyPassword } from './verify-password.js';

/** An Auth0-style PHC pbkdf2 hash computed with node:crypto (standard base64, `=` kept when asked). */
function phcPbkdf2(password: string, digest: string, rounds: number, keepPadding = false): string {
  const salt = randomBytes(16);
  const length = digest === 'sha1' ? 20 : Number(digest.slice(3)) / 8;
  const hash = pbkdf2Sync(password, salt, rounds, length, digest);
  const b64 = (bytes: Buffer) => (keepPadding ? bytes.toString('base64') : bytes.toString('base64').replace(/=+$/, ''));
  return `$pbkdf2-${digest}$i=${rounds},l=${length}$${b64(salt)}$${b64(hash)}`;
}

describe('convertAuth0Hash', () => {
  it.each(['sha1', 'sha224', 'sha256', 'sha384', 'sha512'])('PHC pbkdf2-%s converts to a passwap hash that verifies', async (digest) => {
    const phc = phcPbkdf2('Password1!', digest, 1500);
    expect(parsePasswordHash(phc)).toMatchObject({ ok: false, kind: 'unsupported' });
    const converted = convertAuth0Hash(phc);
    expect(converted).toMatchObject({ from: 'pbkdf2-phc', to: 'pbkdf2' });
    const encoded = converted?.encoded ?? '';
    expect(encoded.startsWith(digest === 'sha1' ? '$pbkdf2$1500$' : `$pbkdf2-${digest}$1500$`)).toBe(true);
    expect(encoded).not.toMatch(/[+=]/);
    expect(parsePasswordHash(encoded)).toMatchObject({ ok: true, algorithm: 'pbkdf2', variant: digest, params: { rounds: 1500 } });
    expect(await verifyPassword(encoded, 'Password1!')).toBe(true);
    expect(await verifyPassword(encoded, 'Password1')).toBe(false);
  });

  it('accepts padded standard base64 in the PHC form', async () => {
    const converted = convertAuth0Hash(phcPbkdf2('pässwörd', 'sha512', 1000, true));
    expect(await verifyPassword(converted?.encoded ?? '', 'pässwörd')).toBe(true);
  });

  it('refuses a PHC hash whose l= does not match, naming why', () => {
    const phc = phcPbkdf2('x', 'sha256', 1000).replace('l=32', 'l=64');
    expect(convertAuth0Hash(phc)).toBeUndefined();
    expect(auth0ConversionProblem(phc)).toMatchObject({ kind: 'invalid', reason: 'pbkdf2 PHC l=64 does not match the hash length 32' });
  });

  it('names a PHC digest ZITADEL lacks', () => {
    const phc = '$pbkdf2-md5$i=1000,l=16$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
    expect(convertAuth0Hash(phc)).toBeUndefined();
    expect(auth0ConversionProblem(phc)).toMatchObject({
      kind: 'unsupported',
      reason: 'pbkdf2 digest "md5" is not supported by ZITADEL (only sha1, sha224, sha256, sha384, sha512)',
    });
  });

  it('lowercases a bare md5 hex digest into md5plain', async () => {
    const converted = convertAuth0Hash('5F4DCC3B5AA765D61D8327DEB882CF99');
    expect(converted).toEqual({ encoded: '5f4dcc3b5aa765d61d8327deb882cf99', from: 'md5-hex', to: 'md5plain' });
    expect(await verifyPassword(converted?.encoded ?? '', 'password')).toBe(true);
  });

  it('turns a base64 md5 digest into md5plain hex', async () => {
    const b64 = Buffer.from('5f4dcc3b5aa765d61d8327deb882cf99', 'hex').toString('base64');
    expect(convertAuth0Hash(b64)).toEqual({ encoded: '5f4dcc3b5aa765d61d8327deb882cf99', from: 'md5-base64', to: 'md5plain' });
  });

  it.each([
    ['e'.repeat(40), 'unsalted sha1 hex is not supported by ZITADEL'],
    ['5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', 'unsalted sha256 hex is not supported by ZITADEL'],
    [Buffer.alloc(32, 1).toString('base64'), 'unsalted sha256 base64 is not supported by ZITADEL'],
    ['f'.repeat(128), 'unsalted sha512 hex is not supported by ZITADEL'],
  ])('does not convert %s but names it', (encoded, reason) => {
    expect(convertAuth0Hash(encoded)).toBeUndefined();
    expect(auth0ConversionProblem(encoded)).toBeUndefined();
    expect(describeForeignHash(encoded)).toBe(reason);
  });

  it('leaves passwap hashes alone', () => {
    expect(convertAuth0Hash('$2b$10$abcdefghijklmnopqrstuuM1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG')).toBeUndefined();
    expect(convertAuth0Hash('$pbkdf2-sha512$1000$c2FsdA$aGFzaA')).toBeUndefined();
  });
});
