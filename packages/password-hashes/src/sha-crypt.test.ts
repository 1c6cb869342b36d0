// Vectors from Ulrich Drepper's SHA-crypt specification (also glibc's test suite); each was
// re-checked with this machine's crypt(3) (libxcrypt, via perl) before being written here.
// The spec's 123456-round vectors are left out to keep the suite fast; 77777 rounds cover long runs.
import { describe, expect, it } from 'vitest';
import { shaCrypt } from './sha-crypt.js';
import { verifyPassword } from './verify-password.js';

const SPEC_VECTORS: [salt: string, rounds: number | undefined, password: string, expected: string][] = [
  ['saltstring', undefined, 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
  ['saltstringsaltstring', 10000, 'Hello world!', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'],
  ['toolongsaltstring', 5000, 'This is just a test', '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5'],
  [
    'anotherlongsaltstring', 1400, 'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    '$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1',
  ],
  ['short', 77777, 'we have a short salt string but not a short password', '$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/'],
  ['roundstoolow', 10, 'the minimum number is still observed', '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC'],
  ['saltstring', undefined, 'Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
  [
    'saltstringsaltstring', 10000, 'Hello world!',
    '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  ],
  [
    'toolongsaltstring', 5000, 'This is just a test',
    '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  ],
  [
    'anotherlongsaltstring', 1400, 'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
  ],
  [
    'short', 77777, 'we have a short salt string but not a short password',
    '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0',
  ],
  [
    'roundstoolow', 10, 'the minimum number is still observed',
    '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.',
  ],
];

describe('shaCrypt', () => {
  it.each(SPEC_VECTORS)('salt %s rounds %s reproduces the spec vector', (salt, rounds, password, expected) => {
    const variant = expected.startsWith('$5$') ? 'sha256' : 'sha512';
    expect(shaCrypt(password, { variant, salt, rounds })).toBe(expected);
  });

  it.each(SPEC_VECTORS.filter(([, rounds]) => rounds === undefined || rounds <= 10000))(
    'verifyPassword accepts the spec vector for salt %s and refuses a changed password',
    async (_salt, _rounds, password, expected) => {
      expect(await verifyPassword(expected, password)).toBe(true);
      expect(await verifyPassword(expected, `${password} `)).toBe(false);
    },
  );

  it('writes rounds=5000 only when asked, with the same checksum', () => {
    const implicit = shaCrypt('pw', { variant: 'sha256', salt: 'abc' });
    const explicit = shaCrypt('pw', { variant: 'sha256', salt: 'abc', rounds: 5000 });
    expect(explicit).toBe(implicit.replace('$5$', '$5$rounds=5000$'));
  });
});
