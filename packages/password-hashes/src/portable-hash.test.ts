// phpass: the hash in phpass 0.3's test.php ("test12345"); drupal7: passwap's passlib-generated value.
import { describe, expect, it } from 'vitest';
import { drupal7Hash, phpassHash } from './portable-hash.js';
import { verifyPassword } from './verify-password.js';

describe('phpass', () => {
  it('reproduces the portable hash from phpass test.php', async () => {
    expect(phpassHash('test12345', 'P', 11, 'IQRaTwmf')).toBe('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0');
    expect(await verifyPassword('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'test12345')).toBe(true);
    expect(await verifyPassword('$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', 'test12346')).toBe(false);
  });

  it('$H$ (phpBB) differs from $P$ only in the identifier', () => {
    expect(phpassHash('test12345', 'H', 11, 'IQRaTwmf')).toBe('$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0');
  });
});

describe('drupal7', () => {
  it('reproduces the passlib-generated drupal7 hash', async () => {
    const expected = '$S$ErandomsaOpYrAZqwxGynirQbWYCb3ejW4BwGH81LJcOzbzeVd02';
    expect(drupal7Hash('password', 16, 'randomsa')).toBe(expected);
    expect(await verifyPassword(expected, 'password')).toBe(true);
    expect(await verifyPassword(expected, 'Password')).toBe(false);
  });
});
