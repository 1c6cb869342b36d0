// A key → value table that starts as a Map and moves to a DiskHashTable in a private temp
// directory once it holds more than `spillThreshold` entries, so memory stays bounded whatever
// the export's size. The temp directory is removed by `close()`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiskEntry, DiskHashTable } from './disk-hash-table.js';

export class SpillingTable {
  private memory: Map<string, DiskEntry> | undefined = new Map();
  private disk: DiskHashTable | undefined;
  private tempDir: string | undefined;

  constructor(
    private readonly name: string,
    private readonly spillThreshold: number,
    private readonly onSpill?: (tempDir: string) => void,
    /** Estimated entries: above the threshold the table starts on disk, sized for them. */
    private readonly expectedEntries = 0,
  ) {
    // Filling a Map up to the threshold first would set the process's peak memory for good.
    if (expectedEntries > spillThreshold) this.spill();
  }

  get size(): number {
    return this.memory ? this.memory.size : this.disk!.size;
  }

  /** True once the entries live on disk. */
  get spilled(): boolean {
    return this.disk !== undefined;
  }

  /** The temp directory of the on-disk store, while it exists. */
  get storeDir(): string | undefined {
    return this.tempDir;
  }

  /** Adds `key → value` unless present; answers the new ordinal or the existing entry. */
  putIfAbsent(key: string, value: string): { existing: DiskEntry } | { ordinal: number } {
    if (!this.memory) return this.disk!.putIfAbsent(key, value);
    const existing = this.memory.get(key);
    if (existing) return { existing };
    const ordinal = this.memory.size;
    this.memory.set(key, { ordinal, key, value });
    if (this.memory.size > this.spillThreshold) this.spill();
    return { ordinal };
  }

  get(key: string): DiskEntry | undefined {
    return this.memory ? this.memory.get(key) : this.disk!.get(key);
  }

  /** Every entry in insertion order. */
  entries(): Iterable<DiskEntry> {
    return this.memory ? this.memory.values() : this.disk!.entries();
  }

  /** Removes the on-disk store, if any. */
  close(): void {
    this.disk?.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.disk = undefined;
    this.tempDir = undefined;
    this.memory = new Map();
  }

  private spill(): void {
    this.tempDir = mkdtempSync(join(tmpdir(), 'idflow-auth0-'));
    const disk = new DiskHashTable(join(this.tempDir, `${this.name}.bin`), Math.max(this.expectedEntries, this.spillThreshold * 2));
    for (const entry of this.memory!.values()) disk.putIfAbsent(entry.key, entry.value);
    this.disk = disk;
    this.memory = undefined;
    this.onSpill?.(this.tempDir);
  }
}
