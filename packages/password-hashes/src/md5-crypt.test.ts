// Vectors produced by this machine's crypt(3) (libxcrypt via perl) and `openssl passwd -1`,
// plus passwap's own md5-crypt test value.
import { describe, expect, it } from 'vitest';
import { md5Crypt } from './md5-crypt.js';
import { verifyPassword } from './verify-password.js';

const VECTORS: [salt: string, password: string, expected: string][] = [
  ['saltstri', 'Hello world!', '$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1'],
  ['saltsalt', 'password', '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/'],
  ['saltsalt', '', '$1$saltsalt$5Jhcit4zN9UlGiA0txPkO0'],
  ['8chrsalt', '0123456789abcdef0123456789', '$1$8chrsalt$mdw8afB9ASHaL2IIJfIma0'],
  ['kJ4QkJaQ', 'password', '$1$kJ4QkJaQ$3EbD/pJddrq5HW3mpZ4KZ1'],
];

describe('md5Crypt', () => {
  it.each(VECTORS)('salt %s, password %j', async (salt, password, expected) => {
    expect(md5Crypt(password, salt)).toBe(expected);
    expect(await verifyPassword(expected, password)).toBe(true);
    expect(await verifyPassword(expected, `${password}x`)).toBe(false);
  });

  it('uses only the first 8 salt characters, like FreeBSD', () => {
    expect(md5Crypt('password', 'saltsaltEXTRA')).toBe('$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/');
  });
});
