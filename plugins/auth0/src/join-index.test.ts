import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JoinIndex } from './join-index.js';
import { JoinStore } from './join-store.js';

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
    // In memory a repeated key is answered at once; on disk, when indexing ends.
    const repeated = index.addPassword('auth0|euclid-42', plain, 9, 90);
    const late = index.sealPasswords();
    if (threshold === 1) {
      expect(repeated).toBeUndefined();
      expect(late).toEqual([{ key: 'auth0|euclid-42', ordinal: 2, line: 9, offset: 90, password: plain, firstLine: 4 }]);
    } else {
      expect(repeated).toBe(4);
      expect(late).toEqual([]);
    }
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

describe('JoinIndex on disk (SQLite in a worker thread)', () => {
  const password = (n: number) => ({ hash: `$2b$10$${'h'.repeat(53)}${n}`, oid: `oid${n}`, email: `u${n}@example.com` });

  it('moves to SQLite above the threshold while indexing, keeps ordinals, finds repeats at seal and reads back only orphans', () => {
    let spilled: string | undefined;
    const index = new JoinIndex(100, { passwords: 0, profilesWithoutPassword: 0 }, (what, dir) => {
      spilled = `${what} ${dir}`;
    });
    for (let i = 0; i < 5000; i++) expect(index.addPassword(`auth0|${i}`, password(i), i + 1, i * 10)).toBeUndefined();
    expect(spilled).toMatch(/^passwords /);
    const [dir] = index.storeDirs;
    // Repeats: one of a key kept in memory before the move, one of a key appended on disk.
    index.addPassword('auth0|7', password(7), 6001, 60010);
    index.addPassword('auth0|4321', password(4321), 6002, 60020);
    const late = index.sealPasswords();
    // The worker has answered: its file exists, readable by its owner only.
    expect(statSync(join(dir, 'join.sqlite')).mode & 0o777).toBe(0o600);
    expect(late.map((d) => [d.key, d.line, d.firstLine])).toEqual([
      ['auth0|7', 6001, 8],
      ['auth0|4321', 6002, 4322],
    ]);
    expect(index.passwordCount).toBe(5000);
    // Claims a chunk at a time, two chunks in flight.
    const first = index.requestClaims(['auth0|0', 'auth0|1', 'github|9'], [1, 2, 3]);
    const second = index.requestClaims(['auth0|1', 'github|9', 'auth0|4999'], [4, 5, 6]);
    expect(index.takeClaims(first)).toEqual([
      { stored: { key: 'auth0|0', ordinal: 0, line: 1, offset: 0, password: password(0) } },
      { stored: { key: 'auth0|1', ordinal: 1, line: 2, offset: 10, password: password(1) } },
      {},
    ]);
    expect(index.takeClaims(second)).toEqual([{ duplicateOfLine: 2 }, { duplicateOfLine: 3 }, { stored: expect.objectContaining({ key: 'auth0|4999', ordinal: 4999 }) }]);
    expect(index.findPassword('auth0|7')?.line).toBe(8);
    expect(index.hasPasswords(['auth0|3', 'auth0|nope'])).toEqual([true, false]);
    // Everything but the three claimed records, in file order, without the removed repeats.
    const orphans = [...index.unclaimedPasswords()].map((p) => p.ordinal);
    expect(orphans.length).toBe(4997);
    expect(orphans.slice(0, 3)).toEqual([2, 3, 4]);
    expect(orphans.at(-1)).toBe(4998);
    expect([...index.allPasswords()].length).toBe(5000);
    index.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('moves profile ids to disk mid-read, with the passwords indexed in memory until then', () => {
    const index = new JoinIndex(50, { passwords: 0, profilesWithoutPassword: 0 });
    for (let i = 0; i < 20; i++) index.addPassword(`auth0|${i}`, password(i), i + 1, i);
    expect(index.sealPasswords()).toEqual([]);
    const ids = Array.from({ length: 120 }, (_, i) => `google-oauth2|${i}`);
    const ticket = index.requestClaims(['auth0|3', ...ids, 'google-oauth2|5', 'auth0|3'], [1, ...ids.map((_, i) => i + 2), 500, 501]);
    expect(index.spilled).toBe(true);
    const claims = index.takeClaims(ticket);
    expect(claims[0]).toEqual({ stored: expect.objectContaining({ key: 'auth0|3', ordinal: 3 }) });
    expect(claims.slice(1, 121).every((c) => c.duplicateOfLine === undefined && c.stored === undefined)).toBe(true);
    expect(claims.slice(121)).toEqual([{ duplicateOfLine: 7 }, { duplicateOfLine: 1 }]);
    expect(index.claimProfile('google-oauth2|0', 900)).toEqual({ duplicateOfLine: 2 });
    expect([...index.unclaimedPasswords()].length).toBe(19);
    index.close();
  });

  it('reports a store that cannot be opened, and a closed index, instead of waiting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'join-store-'));
    const taken = join(dir, 'join.sqlite');
    writeFileSync(taken, '');
    const store = new JoinStore(taken);
    expect(() => store.call('seal')).toThrow(/join index store could not be opened: EEXIST/);
    store.close();
    rmSync(dir, { recursive: true });
    const index = new JoinIndex(1, { passwords: 10, profilesWithoutPassword: 0 });
    index.close();
    expect(() => index.claimProfile('auth0|1', 1)).toThrow();
  });
});
