// ZITADEL usernames are unique case-insensitively; a duplicate inside one import would make
// ZITADEL refuse the second user anyway, but only after the sink has batched and sent it. Catching
// it here puts the second user in the dead-letter output with the id of the first one.
//
// Exact answers, little memory, no garbage: nothing per name lives on the JS heap.
// - Each lowercased name with its owner's id is appended, as UTF-8, to a log: a buffer while it
//   holds fewer than `spillThreshold` names, then a temporary file (0600, in a private 0700
//   directory under the run's temp folder, removed at the end) written in 1 MiB appends.
// - An open-addressing table of typed arrays maps the name's 32-bit hash to the entry's place in
//   the log: 8 bytes a slot while the log is under 4 GiB (12 beyond), at most 3/4 full (11–16
//   bytes a name; ~17 MB at 1M names, ~34 MB at 3M).
// - A claim hashes the name and probes the table; only when a slot holds the same hash (the same
//   name, or one chance in 2^32 another one) is the entry read back from the log and compared.
// So a new name (almost every claim) is settled by a few typed-array reads, and the whole run
// allocates nothing per name: the old design (a Map of the newest names, moved in batches to an
// SQLite store in a worker thread behind a Bloom filter) cost ~1 s of CPU per 100,000 users.
//
// Resume: the registry lives for one run only. After an interrupted run is resumed, it holds the
// names of this run's records, not those acknowledged before the interruption, so a duplicate of
// an already-imported user is no longer caught here; ZITADEL then answers that user with
// `Errors.User.AlreadyExists` and the sink reports it. Persisting the names is not worth the I/O.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FatalError } from '@idflow/engine';
import { writeUtf8 } from '@idflow/engine/write-utf8';

/** Store directories still in use, removed when the process exits even without close(). */
const openDirectories = new Set<string>();
let exitHookInstalled = false;

/** Names kept in memory (their text; the hash table always is) before the log moves to a file. */
export const DEFAULT_SPILL_THRESHOLD = 50_000;

/** The largest `spillThreshold` accepted. */
export const MAX_SPILL_THRESHOLD = 2 ** 24;

/** Appends to the log file are buffered up to this many bytes. */
const fileBufferBytes = 1 << 20;
const initialSlots = 1 << 12;
/** An entry's header: the UTF-8 byte lengths of the name and of the owner, 4 bytes each. */
const headerBytes = 8;

export interface UserNameRegistryOptions {
  /** Names whose text stays in memory before the log moves to a temporary file (default 50,000). */
  spillThreshold?: number;
  /** Called once, with the file's directory, when the log first moves to disk. */
  onSpill?: (directory: string) => void;
  /** Where the log's folder goes: the run's temp folder (swept after a kill), else the system's. */
  tempRoot?: string;
  /** Tests only: the log offset beyond which slots widen to 64 bits (default 2^32 - 1). */
  widestOffsetForTests?: number;
}

/** A 32-bit hash of the string's UTF-16 code units (FNV-1a, murmur3 finish); never 0 (the empty slot). Exported for tests. */
export function userNameHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash === 0 ? 1 : hash;
}

/** Remembers the userNames accepted in this run, case-insensitively, in bounded memory. */
export class UserNameRegistry {
  private readonly spillThreshold: number;
  private readonly onSpill?: (directory: string) => void;
  private readonly tempRoot: string;
  /** The hash of each slot's name (0: empty). */
  private hashes = new Int32Array(initialSlots);
  /** Where each slot's entry starts in the log: 32-bit until an offset needs more. */
  private offsets: Uint32Array | Float64Array = new Uint32Array(initialSlots);
  private count = 0;
  /** Log bytes not in the file yet; they follow the file's `fileBytes`. */
  private pending = Buffer.allocUnsafe(1 << 16);
  private pendingBytes = 0;
  private fileBytes = 0;
  private fd: number | undefined;
  private directory: string | undefined;
  private failure: FatalError | undefined;

  /** The largest offset a 32-bit slot holds (lower only in tests, to reach the wide slots). */
  private readonly widestOffset: number;

  constructor(options: UserNameRegistryOptions = {}) {
    const threshold = options.spillThreshold ?? DEFAULT_SPILL_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_SPILL_THRESHOLD) {
      throw new RangeError(`spillThreshold must be an integer from 1 to ${MAX_SPILL_THRESHOLD} (got ${threshold})`);
    }
    this.spillThreshold = threshold;
    this.onSpill = options.onSpill;
    this.tempRoot = options.tempRoot ?? tmpdir();
    this.widestOffset = options.widestOffsetForTests ?? 0xffff_ffff;
  }

  /** Claims `userName` for `userId`; answers the id of the earlier owner when it was taken. */
  claim(userName: string, userId: string): string | undefined {
    if (this.failure) throw this.failure;
    const name = userName.toLowerCase();
    const hash = userNameHash(name);
    const mask = this.hashes.length - 1;
    let slot = hash & mask;
    for (let seen = this.hashes[slot]; seen !== 0; seen = this.hashes[slot]) {
      if (seen === hash) {
        const entry = this.entryAt(this.offsets[slot]);
        if (entry.name === name) return entry.owner === userId ? undefined : entry.owner;
      }
      slot = (slot + 1) & mask;
    }
    const offset = this.append(name, userId);
    if (offset > this.widestOffset && this.offsets instanceof Uint32Array) this.offsets = Float64Array.from(this.offsets);
    this.hashes[slot] = hash;
    this.offsets[slot] = offset;
    this.count += 1;
    if (this.count * 4 > this.hashes.length * 3) this.grow();
    return undefined;
  }

  /** Names claimed so far. */
  get size(): number {
    return this.count;
  }

  /** Bytes a table slot takes: 8, or 12 once the log has grown past 4 GiB. */
  get slotBytes(): number {
    return this.hashes.BYTES_PER_ELEMENT + this.offsets.BYTES_PER_ELEMENT;
  }

  /** The temporary directory of the log file, while there is one. */
  get storeDirectory(): string | undefined {
    return this.directory;
  }

  /** Removes the log file, if any; the registry is empty afterwards. */
  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // The directory is removed below all the same.
      }
    }
    if (this.directory) {
      rmSync(this.directory, { recursive: true, force: true });
      openDirectories.delete(this.directory);
    }
    this.fd = undefined;
    this.directory = undefined;
    this.hashes = new Int32Array(initialSlots);
    this.offsets = new Uint32Array(initialSlots);
    this.count = 0;
    this.pendingBytes = 0;
    this.fileBytes = 0;
  }

  /** Appends an entry to the log; answers its offset. */
  private append(name: string, owner: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    const room = headerBytes + (name.length + owner.length) * 3;
    if (this.fd === undefined && this.count + 1 >= this.spillThreshold) this.moveToFile();
    if (this.fd !== undefined && this.pendingBytes + room > this.pending.length) this.flush();
    if (this.pendingBytes + room > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.pendingBytes + room, this.pending.length * 2));
      this.pending.copy(grown, 0, 0, this.pendingBytes);
      this.pending = grown;
    }
    const at = this.pendingBytes;
    const nameBytes = writeUtf8(this.pending, name, at + headerBytes);
    const ownerBytes = writeUtf8(this.pending, owner, at + headerBytes + nameBytes);
    this.pending.writeUInt32LE(nameBytes, at);
    this.pending.writeUInt32LE(ownerBytes, at + 4);
    this.pendingBytes = at + headerBytes + nameBytes + ownerBytes;
    return this.fileBytes + at;
  }

  /** The entry at `offset` in the log. */
  private entryAt(offset: number): { name: string; owner: string } {
    if (offset >= this.fileBytes) return decodeEntry(this.pending, offset - this.fileBytes);
    try {
      const header = Buffer.allocUnsafe(headerBytes);
      readFully(this.fd!, header, offset);
      const entry = Buffer.allocUnsafe(headerBytes + header.readUInt32LE(0) + header.readUInt32LE(4));
      readFully(this.fd!, entry, offset);
      return decodeEntry(entry, 0);
    } catch (error) {
      throw this.storeFailed(error);
    }
  }

  /** Starts the log file (the names so far go into it) once the buffer holds `spillThreshold` names. */
  private moveToFile(): void {
    let directory: string | undefined;
    try {
      directory = mkdtempSync(join(this.tempRoot, 'idflow-usernames-'));
      openDirectories.add(directory);
      if (!exitHookInstalled) {
        process.on('exit', () => {
          for (const open of openDirectories) rmSync(open, { recursive: true, force: true });
        });
        exitHookInstalled = true;
      }
      this.fd = openSync(join(directory, 'usernames.log'), 'wx+', 0o600);
    } catch (error) {
      if (directory) {
        rmSync(directory, { recursive: true, force: true });
        openDirectories.delete(directory);
      }
      throw this.storeFailed(error);
    }
    this.directory = directory;
    this.onSpill?.(directory);
    this.flush();
    // From now on only a file-sized buffer is kept.
    if (this.pending.length > fileBufferBytes) this.pending = Buffer.allocUnsafe(fileBufferBytes);
  }

  /** Writes the buffered entries to the end of the log file. */
  private flush(): void {
    try {
      for (let written = 0; written < this.pendingBytes; ) {
        written += writeSync(this.fd!, this.pending, written, this.pendingBytes - written, this.fileBytes + written);
      }
    } catch (error) {
      throw this.storeFailed(error);
    }
    this.fileBytes += this.pendingBytes;
    this.pendingBytes = 0;
  }

  /** Doubles the table; entries keep their place in the log. */
  private grow(): void {
    const hashes = new Int32Array(this.hashes.length * 2);
    const offsets = this.offsets instanceof Uint32Array ? new Uint32Array(hashes.length) : new Float64Array(hashes.length);
    const mask = hashes.length - 1;
    for (let i = 0; i < this.hashes.length; i++) {
      const hash = this.hashes[i];
      if (hash === 0) continue;
      let slot = hash & mask;
      while (hashes[slot] !== 0) slot = (slot + 1) & mask;
      hashes[slot] = hash;
      offsets[slot] = this.offsets[i];
    }
    this.hashes = hashes;
    this.offsets = offsets;
  }

  private storeFailed(error: unknown): FatalError {
    this.failure = new FatalError(
      `zitadel-validate: cannot keep userNames in a temporary file under ${this.tempRoot}: ${(error as Error).message}; free disk space there or point TMPDIR elsewhere, or set uniqueUserNames: false (ZITADEL still refuses a taken userName itself)`,
    );
    return this.failure;
  }
}

function decodeEntry(buffer: Buffer, at: number): { name: string; owner: string } {
  const nameBytes = buffer.readUInt32LE(at);
  const ownerBytes = buffer.readUInt32LE(at + 4);
  const nameStart = at + headerBytes;
  return {
    name: buffer.toString('utf8', nameStart, nameStart + nameBytes),
    owner: buffer.toString('utf8', nameStart + nameBytes, nameStart + nameBytes + ownerBytes),
  };
}

function readFully(fd: number, into: Buffer, position: number): void {
  for (let read = 0; read < into.length; ) {
    const got = readSync(fd, into, read, into.length - read, position + read);
    if (got === 0) throw new Error('the userName log ends early');
    read += got;
  }
}
