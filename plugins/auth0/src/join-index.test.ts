import { describe, expect, it } from 'vitest';
import { JoinIndex } from './join-index.js';

describe('JoinIndex', () => {
  it.each([
    { label: 'in memory', threshold: 100 },
    { label: 'on disk', threshold: 1 },
  ])('keeps every password field exactly, odd characters included ($label)', ({ threshold }) => {
    const index = new JoinIndex(threshold, { passwords: 0, profilesWithoutPassword: 0 });
    const odd = { hash: 'a\u0000b', oid: '\u0001', email: '\u0002x@example.com' };
    const plain = { hash: '$2b$10$x', oid: '60425dc43519d90068f82973', setDate: '2019-12-06T18:36:12.412Z', connection: 'db', altId: 'euclid-42', email: 'jane@example.com' };
    expect(index.addPassword('auth0|odd', odd, 3, 30)).toBeUndefined();
    expect(index.addPassword('auth0|euclid-42', plain, 4, 40)).toBeUndefined();
    expect(index.addPassword('auth0|euclid-42', plain, 9, 90)).toBe(4);
    expect(index.claimProfile('auth0|odd', 1)).toEqual({ stored: { key: 'auth0|odd', ordinal: 0, line: 3, offset: 30, password: odd } });
    expect(index.claimProfile('auth0|euclid-42', 2)).toEqual({ stored: { key: 'auth0|euclid-42', ordinal: 1, line: 4, offset: 40, password: plain } });
    expect(index.claimProfile('auth0|euclid-42', 5)).toEqual({ duplicateOfLine: 2 });
    expect(index.claimProfile('google-oauth2|1', 6)).toEqual({});
    expect(index.claimProfile('google-oauth2|1', 7)).toEqual({ duplicateOfLine: 6 });
    expect([...index.allPasswords()].map((p) => [p.key, p.claimed])).toEqual([
      ['auth0|odd', true],
      ['auth0|euclid-42', true],
    ]);
    index.close();
  });
});
