import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '@idflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { UserNameRegistry, userNameHash } from './user-name-registry.js';

const open: UserNameRegistry[] = [];
function registry(spillThreshold?: number, widestOffsetForTests?: number): UserNameRegistry {
  const created = new UserNameRegistry({ spillThreshold, widestOffsetForTests });
  open.push(created);
  return created;
}
afterEach(() => {
  for (const created of open.splice(0)) created.close();
});

/** Users with realistic names; every 7th reuses an earlier name in another case. */
function generatedUsers(count: number): { userName: string; userId: string }[] {
  const users: { userName: string; userId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const earlier = users[(i * 31) % Math.max(1, users.length)];
    const userName =
      i % 7 === 6 && earlier ? swapCase(earlier.userName) : `${['jane', 'Élodie', 'søren', 'JOHN'][i % 4]}.${(i * 2654435761) % 100003}@Example.com`;
    users.push({ userName, userId: `auth0|${i}` });
  }
  return users;
}
function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A threshold no test reaches: everything stays in memory. */
const MAX_IN_TEST = 1_000_000;

/** Two distinct lowercase names with the same 32-bit hash (a birthday search: ~100k tries). */
function hashCollision(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const name = `user${i}@example.com`;
    const hash = userNameHash(name);
    const earlier = seen.get(hash);
    if (earlier !== undefined) return [earlier, name];
    seen.set(hash, name);
  }
}

describe('UserNameRegistry', () => {
  it('answers the first owner of a userName, case-insensitively', () => {
    const names = registry();
    expect(names.claim('Jane@Example.com', 'auth0|1')).toBeUndefined();
    expect(names.claim('JANE@example.COM', 'auth0|2')).toBe('auth0|1');
    expect(names.claim('jane@example.com', 'auth0|3')).toBe('auth0|1');
    expect(names.size).toBe(1);
  });

  it('lets the same user claim its own name again', () => {
    const names = registry();
    names.claim('jane', 'auth0|1');
    expect(names.claim('Jane', 'auth0|1')).toBeUndefined();
  });

  it('lowercases beyond ASCII', () => {
    const names = registry();
    names.claim('ÉLODIE', 'auth0|1');
    expect(names.claim('élodie', 'auth0|2')).toBe('auth0|1');
  });

  it('stays exact across the move to disk: names from before and after, in any case', () => {
    const names = registry(3);
    expect(names.claim('Ann@example.com', 'auth0|ann')).toBeUndefined();
    expect(names.claim('bob@example.com', 'auth0|bob')).toBeUndefined();
    expect(names.storeDirectory).toBeUndefined();
    expect(names.claim('CAROL@example.com', 'auth0|carol')).toBeUndefined(); // third name: moved to disk
    expect(names.storeDirectory).toBeDefined();
    expect(names.claim('dave@example.com', 'auth0|dave')).toBeUndefined(); // in memory again
    expect(names.claim('ann@EXAMPLE.com', 'auth0|x')).toBe('auth0|ann');
    expect(names.claim('carol@example.com', 'auth0|x')).toBe('auth0|carol');
    expect(names.claim('Dave@Example.com', 'auth0|x')).toBe('auth0|dave');
    expect(names.claim('carol@example.com', 'auth0|carol')).toBeUndefined(); // its own name, from disk
    expect(names.claim('erin@example.com', 'auth0|erin')).toBeUndefined();
    expect(names.claim('frank@example.com', 'auth0|frank')).toBeUndefined(); // second batch to disk
    expect(names.claim('ERIN@example.com', 'auth0|x')).toBe('auth0|erin');
    expect(names.claim('BOB@example.com', 'auth0|x')).toBe('auth0|bob');
    expect(names.size).toBe(6);
  });

  it('answers exactly as a plain Map would, in memory and on disk, across many table growths', () => {
    const users = generatedUsers(30_000);
    const firstOwner = new Map<string, string>();
    const expected = users.map(({ userName, userId }) => {
      const owner = firstOwner.get(userName.toLowerCase());
      if (owner === undefined) firstOwner.set(userName.toLowerCase(), userId);
      return owner === undefined || owner === userId ? undefined : owner;
    });
    const inMemory = registry(MAX_IN_TEST);
    const onDisk = registry(7);
    // Offsets past 100,000 bytes take 64-bit slots from there on, as past 4 GiB in a real run.
    const widened = registry(7, 100_000);
    expect(users.map((u) => inMemory.claim(u.userName, u.userId))).toEqual(expected);
    expect(users.map((u) => onDisk.claim(u.userName, u.userId))).toEqual(expected);
    expect(users.map((u) => widened.claim(u.userName, u.userId))).toEqual(expected);
    expect([inMemory.slotBytes, onDisk.slotBytes, widened.slotBytes]).toEqual([8, 8, 12]);
    expect(onDisk.storeDirectory).toBeDefined();
    expect(inMemory.storeDirectory).toBeUndefined();
    const duplicates = expected.filter((owner) => owner !== undefined).length;
    expect(duplicates).toBeGreaterThan(4000);
    expect(onDisk.size).toBe(firstOwner.size);
    expect(inMemory.size).toBe(firstOwner.size);
  });

  it('tells apart two different names with the same hash', () => {
    const [a, b] = hashCollision();
    expect(a).not.toBe(b);
    expect(userNameHash(a)).toBe(userNameHash(b));
    for (const names of [registry(), registry(1)]) {
      expect(names.claim(a, 'auth0|a')).toBeUndefined();
      expect(names.claim(b, 'auth0|b')).toBeUndefined();
      expect(names.claim(a.toUpperCase(), 'auth0|x')).toBe('auth0|a');
      expect(names.claim(b, 'auth0|y')).toBe('auth0|b');
      expect(names.size).toBe(2);
    }
  });

  it('keeps its file private (0600 in a 0700 directory)', () => {
    const names = registry(1);
    names.claim('a@example.com', 'auth0|1');
    const directory = names.storeDirectory!;
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const [file] = readdirSync(directory);
    expect(statSync(join(directory, file)).mode & 0o777).toBe(0o600);
  });

  it('removes a file that was never closed when the process exits', () => {
    const registryModule = new URL('../dist/user-name-registry.js', import.meta.url).href;
    const script = `const { UserNameRegistry } = await import(${JSON.stringify(registryModule)});
      const names = new UserNameRegistry({ spillThreshold: 1 });
      names.claim('a@example.com', 'auth0|1');
      console.log(names.storeDirectory);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const directory = child.stdout.trim();
    expect(directory).toContain('idflow-usernames-');
    expect(existsSync(directory)).toBe(false);
  });

  it('removes its temporary store on close', () => {
    const names = registry(2);
    names.claim('a', '1');
    names.claim('b', '2');
    const directory = names.storeDirectory!;
    expect(existsSync(directory)).toBe(true);
    names.close();
    expect(existsSync(directory)).toBe(false);
    expect(names.storeDirectory).toBeUndefined();
    names.close(); // twice is harmless
  });

  it('stops with a clear fatal error when the temporary store cannot be created', () => {
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/idflow-test';
    try {
      const names = registry(2);
      names.claim('a', '1');
      expect(() => names.claim('b', '2')).toThrow(FatalError);
      expect(() => names.claim('c', '3')).toThrow(/set uniqueUserNames: false/);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });

  it('refuses a spillThreshold that is not a positive integer', () => {
    expect(() => new UserNameRegistry({ spillThreshold: 0 })).toThrow(/spillThreshold/);
    expect(() => new UserNameRegistry({ spillThreshold: 2.5 })).toThrow(/spillThreshold/);
  });
});
