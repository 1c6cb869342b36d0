import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { removeOpenUserNameStores, UserNameDiskStore } from './user-name-disk-store.js';

const stores: UserNameDiskStore[] = [];
function store(): UserNameDiskStore {
  const created = new UserNameDiskStore();
  stores.push(created);
  return created;
}
afterEach(() => {
  for (const created of stores.splice(0)) created.close();
});

function batch(from: number, count: number): Map<string, string> {
  const owners = new Map<string, string>();
  // Not in key order, so the store has to sort.
  for (let i = from + count - 1; i >= from; i--) owners.set(`user${(i * 7919) % 100000}@example.com`, `auth0|${i}`);
  return owners;
}

describe('UserNameDiskStore', () => {
  it('finds every name of every batch, and nothing else', () => {
    const names = store();
    for (let b = 0; b < 5; b++) names.addBatch(batch(b * 150, 150));
    expect(names.size).toBe(750);
    for (let i = 0; i < 750; i++) expect(names.ownerOf(`user${(i * 7919) % 100000}@example.com`)).toBe(`auth0|${i}`);
    expect(names.ownerOf(`user${(750 * 7919) % 100000}@example.com`)).toBeUndefined();
    expect(names.ownerOf('USER0@example.com')).toBeUndefined(); // exact key: the registry lowercases
  });

  it('keeps the number of runs logarithmic in the number of batches', () => {
    const names = store();
    for (let b = 0; b < 70; b++) {
      names.addBatch(batch(b * 20, 20));
      // A base-8 counter: as many runs as the sum of the batch count's base-8 digits.
      const digits = [...(b + 1).toString(8)].map(Number);
      expect(names.runCount).toBe(digits.reduce((sum, digit) => sum + digit, 0));
    }
    expect(names.ownerOf(`user${(3 * 7919) % 100000}@example.com`)).toBe('auth0|3');
    expect(names.ownerOf(`user${(1399 * 7919) % 100000}@example.com`)).toBe('auth0|1399');
  });

  it('lives in a private directory under the temp directory, without a journal, removed on close', () => {
    const names = store();
    names.addBatch(batch(0, 10));
    const directory = names.directory!;
    expect(readdirSync(directory)).toEqual(['usernames.sqlite']);
    expect(directory.startsWith(tmpdir())).toBe(true);
    expect(statSync(directory).mode & 0o077).toBe(0);
    names.close();
    expect(existsSync(directory)).toBe(false);
    expect(names.directory).toBeUndefined();
  });

  it('removes a store that was never closed when the process exits', () => {
    const names = store();
    names.addBatch(batch(0, 10));
    const directory = names.directory!;
    expect(process.listeners('exit')).toContain(removeOpenUserNameStores);
    removeOpenUserNameStores(); // what the exit hook runs
    expect(existsSync(directory)).toBe(false);
  });
});
