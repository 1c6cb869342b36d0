import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskHashTable } from './disk-hash-table.js';
import { SpillingTable } from './spilling-table.js';

describe('DiskHashTable', () => {
  it('stores, finds, refuses duplicates and lists entries in insertion order across growth', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'disk-hash-'));
    const table = new DiskHashTable(join(dir, 't.bin'));
    const n = 100_000;
    for (let i = 0; i < n; i++) expect(table.putIfAbsent(`auth0|${i}`, `v${i}${'x'.repeat(i % 700)}`)).toEqual({ ordinal: i });
    expect(table.size).toBe(n);
    expect(table.putIfAbsent('auth0|77', 'other')).toEqual({ existing: { ordinal: 77, key: 'auth0|77', value: `v77${'x'.repeat(77)}` } });
    for (const i of [0, 1, 4242, 99_999]) expect(table.get(`auth0|${i}`)?.value).toBe(`v${i}${'x'.repeat(i % 700)}`);
    expect(table.get('auth0|missing')).toBeUndefined();
    expect(table.get('ünïcødé|名前')).toBeUndefined();
    table.putIfAbsent('ünïcødé|名前', '😀');
    expect(table.get('ünïcødé|名前')?.value).toBe('😀');
    let i = 0;
    for (const entry of table.entries()) {
      if (i < n) expect(entry.key).toBe(`auth0|${i}`);
      i++;
    }
    expect(i).toBe(n + 1);
    expect((await stat(join(dir, 't.bin'))).mode & 0o777).toBe(0o600);
    table.close();
    await rm(dir, { recursive: true });
  });

  it('SpillingTable moves to disk above the threshold and removes its directory on close', () => {
    const table = new SpillingTable('t', 10);
    for (let i = 0; i < 25; i++) table.putIfAbsent(`k${i}`, String(i));
    expect(table.spilled).toBe(true);
    const storeDir = table.storeDir!;
    expect(existsSync(storeDir)).toBe(true);
    expect(table.get('k3')?.value).toBe('3');
    expect([...table.entries()].map((e) => e.key)).toEqual(Array.from({ length: 25 }, (_, i) => `k${i}`));
    table.close();
    expect(existsSync(storeDir)).toBe(false);
  });
});
