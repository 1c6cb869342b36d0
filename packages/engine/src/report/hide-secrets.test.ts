import { describe, expect, it } from 'vitest';
import { HIDDEN, hideSecrets, maskEmail, maskEmails, maskRecord } from './hide-secrets.js';

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const PBKDF2 = '$pbkdf2-sha512$i=100000,l=64$c2FsdHNhbHQ$6YcL3UeGr6GxVqvbG8NMbHnwRZwNxf0CH1p0ZlFqT1w';
const ARGON = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
const MD5 = '5f4dcc3b5aa765d61d8327deb882cf99';
const SHA256_B64 = 'XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=';

describe('hideSecrets', () => {
  it.each([BCRYPT, PBKDF2, ARGON, MD5, SHA256_B64, '{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g='])('hides %s wherever it is in a text', (hash) => {
    const text = hideSecrets(`unsupported hash "${hash}" for jane`);
    expect(text).not.toContain(hash.slice(8, 30));
    expect(text).toContain(HIDDEN);
    expect(text).toContain('for jane');
  });
  it('leaves ordinary reasons alone', () => {
    const reason = "bcrypt cost 4 is below ZITADEL's minimum 10 (user auth0|5f00000cd6762844b2bc95ee, line 15)";
    expect(hideSecrets(reason)).toBe(reason);
  });
});

describe('maskEmail', () => {
  it('keeps the first letters and the top-level domain only', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j•••@e•••.com');
    expect(maskEmail('x@localhost')).toBe('x•••@l•••');
    expect(maskEmails('from jane@a.org to bob@b.co.uk')).toBe('from j•••@a•••.org to b•••@b•••.uk');
  });
});

describe('maskRecord', () => {
  const auth0 = {
    profile: { user_id: 'auth0|1', email: 'jane.doe@example.com', name: 'Jane Doe', phone_number: '+4915112345678', picture: `https://s.gravatar.com/avatar/${MD5}` },
    password: { hash: BCRYPT, oid: '65f0a1', email: 'jane.doe@example.com' },
    passwordStatus: 'present',
  };
  const zitadel = {
    userId: 'auth0|1',
    user: { userName: 'jane.doe@example.com', email: { email: 'jane.doe@example.com', isEmailVerified: true }, hashedPassword: { value: PBKDF2 } },
    metadata: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'dmFsdWU=' })),
  };

  it('never shows a hash or a full e-mail, and keeps what shows the mapping', () => {
    const text = JSON.stringify([maskRecord(auth0), maskRecord(zitadel)]);
    for (const secret of [BCRYPT, PBKDF2, MD5, 'jane.doe@example.com', '+4915112345678']) expect(text).not.toContain(secret);
    expect(maskRecord(auth0)).toMatchObject({ profile: { user_id: 'auth0|1', name: 'Jane Doe', phone_number: '•••78', email: 'j•••@e•••.com' }, password: HIDDEN, passwordStatus: 'present' });
    expect(maskRecord(zitadel)).toMatchObject({ user: { userName: 'j•••@e•••.com', hashedPassword: HIDDEN } });
  });
  it('shortens long lists and texts', () => {
    const masked = maskRecord(zitadel) as { metadata: unknown[] };
    expect(masked.metadata).toHaveLength(9);
    expect(masked.metadata.at(-1)).toBe('… 12 more');
    expect((maskRecord({ bio: 'a '.repeat(200) }) as { bio: string }).bio).toHaveLength(121);
  });
});
