// A key → value table whose entries live in an append-only temp file, with only a compact
// open-addressing index (8 bytes per slot: a 32-bit key hash and the entry's file position) in
// memory. Used once the join would not fit the memory bound.
//
// Why not SQLite: measured on 1M random keys, B-tree inserts and point lookups took ~40 s and
// ~12 s (cache thrash on random keys), several times the whole reference join. Appends here are
// sequential and a lookup is one in-memory probe plus one positioned read.

import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** 32-bit FNV-1a over UTF-16 code units: fast, and good enough as a probe key and tag. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Entries are aligned to 8 bytes, so a 32-bit position unit addresses 32 GiB. */
const align = 8;
const headerBytes = 10; // u32 total length, u32 ordinal, u16 key length
const writeBufferBytes = 1 << 20;
const maxLoad = 0.8;

export interface DiskEntry {
  ordinal: number;
  key: string;
  value: string;
}

export class DiskHashTable {
  private readonly fd: number;
  private hashes: Uint32Array;
  /** Entry position in `align` units; 0 marks an empty slot (position 0 holds no entry). */
  private positions: Uint32Array;
  private capacity: number;
  private count = 0;
  private fileBytes = align;
  private flushedBytes = align;
  private pending = Buffer.allocUnsafe(writeBufferBytes);
  private pendingBytes = 0;
  private readBuffer = Buffer.allocUnsafe(1024);

  /** `expectedEntries` sizes the index up front: growing later briefly holds old and new arrays. */
  constructor(
    readonly path: string,
    expectedEntries = 0,
  ) {
    // 0600: the password table holds hashes.
    this.fd = openSync(path, 'w+', 0o600);
    writeSync(this.fd, Buffer.alloc(align));
    this.capacity = Math.max(1 << 16, Math.ceil(expectedEntries / maxLoad));
    this.hashes = new Uint32Array(this.capacity);
    this.positions = new Uint32Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key → value` and returns the new entry's ordinal, or the existing entry if the key is present. */
  putIfAbsent(key: string, value: string): { existing: DiskEntry } | { ordinal: number } {
    const hash = hashKey(key);
    let slot = hash % this.capacity;
    while (this.positions[slot] !== 0) {
      if (this.hashes[slot] === hash) {
        const entry = this.readEntry(this.positions[slot]);
        if (entry.key === key) return { existing: entry };
      }
      if (++slot === this.capacity) slot = 0;
    }
    const ordinal = this.count++;
    this.hashes[slot] = hash;
    this.positions[slot] = this.append(ordinal, key, value);
    if (this.count > this.hashes.length * maxLoad) this.grow();
    return { ordinal };
  }

  /** The entry stored under `key`, if any. */
  get(key: string): DiskEntry | undefined {
    const hash = hashKey(key);
    let slot = hash % this.capacity;
    while (this.positions[slot] !== 0) {
      if (this.hashes[slot] === hash) {
        const entry = this.readEntry(this.positions[slot]);
        if (entry.key === key) return entry;
      }
      if (++slot === this.capacity) slot = 0;
    }
    return undefined;
  }

  /** Every entry in insertion order, read sequentially from the file. */
  *entries(): Generator<DiskEntry> {
    this.flush();
    let position = align;
    let buffer = Buffer.allocUnsafe(1 << 20);
    let bufferStart = 0;
    let bufferEnd = 0;
    while (position < this.fileBytes) {
      if (position + headerBytes > bufferEnd || position + buffer.readUInt32LE(position - bufferStart) > bufferEnd) {
        const needed = Math.max(1 << 20, position + headerBytes > bufferEnd ? 0 : this.lengthAt(position));
        if (buffer.length < needed) buffer = Buffer.allocUnsafe(needed);
        bufferStart = position;
        bufferEnd = position + readSync(this.fd, buffer, 0, buffer.length, position);
      }
      const entry = decodeEntry(buffer, position - bufferStart);
      position += padded(buffer.readUInt32LE(position - bufferStart));
      yield entry;
    }
  }

  /** Closes the file (the owner removes the temp directory). */
  close(): void {
    closeSync(this.fd);
  }

  private lengthAt(position: number): number {
    const header = Buffer.allocUnsafe(4);
    readSync(this.fd, header, 0, 4, position);
    return header.readUInt32LE(0);
  }

  private append(ordinal: number, key: string, value: string): number {
    const keyBytes = Buffer.byteLength(key);
    const total = headerBytes + keyBytes + Buffer.byteLength(value);
    const size = padded(total);
    if (this.pendingBytes + size > this.pending.length) {
      this.flush();
      if (size > this.pending.length) this.pending = Buffer.allocUnsafe(size);
    }
    const at = this.pendingBytes;
    this.pending.writeUInt32LE(total, at);
    this.pending.writeUInt32LE(ordinal, at + 4);
    this.pending.writeUInt16LE(keyBytes, at + 8);
    this.pending.write(key, at + headerBytes);
    this.pending.write(value, at + headerBytes + keyBytes);
    this.pendingBytes += size;
    const position = this.fileBytes;
    this.fileBytes += size;
    return position / align;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    writeSync(this.fd, this.pending, 0, this.pendingBytes, this.flushedBytes);
    this.flushedBytes += this.pendingBytes;
    this.pendingBytes = 0;
  }

  private readEntry(unit: number): DiskEntry {
    const position = unit * align;
    if (position >= this.flushedBytes) return decodeEntry(this.pending, position - this.flushedBytes);
    let read = readSync(this.fd, this.readBuffer, 0, this.readBuffer.length, position);
    const total = this.readBuffer.readUInt32LE(0);
    if (total > read) {
      this.readBuffer = Buffer.allocUnsafe(padded(total));
      read = readSync(this.fd, this.readBuffer, 0, this.readBuffer.length, position);
    }
    return decodeEntry(this.readBuffer, 0);
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldPositions = this.positions;
    this.capacity = Math.ceil(oldHashes.length * 1.5);
    this.hashes = new Uint32Array(this.capacity);
    this.positions = new Uint32Array(this.capacity);
    for (let i = 0; i < oldHashes.length; i++) {
      if (oldPositions[i] === 0) continue;
      let slot = oldHashes[i] % this.capacity;
      while (this.positions[slot] !== 0) if (++slot === this.capacity) slot = 0;
      this.hashes[slot] = oldHashes[i];
      this.positions[slot] = oldPositions[i];
    }
  }
}

function padded(bytes: number): number {
  return Math.ceil(bytes / align) * align;
}

function decodeEntry(buffer: Buffer, at: number): DiskEntry {
  const total = buffer.readUInt32LE(at);
  const ordinal = buffer.readUInt32LE(at + 4);
  const keyBytes = buffer.readUInt16LE(at + 8);
  const keyEnd = at + headerBytes + keyBytes;
  return { ordinal, key: buffer.toString('utf8', at + headerBytes, keyEnd), value: buffer.toString('utf8', keyEnd, at + total) };
}
