// ZITADEL usernames are unique case-insensitively; a duplicate inside one import would make
// ZITADEL refuse the second user anyway, but only after the sink has batched and sent it. Catching
// it here puts the second user in the dead-letter output with the id of the first one.
//
// Memory is bounded whatever the run's size, and the answer stays exact:
// - the newest names (at most `spillThreshold`) live in a Map (~215 bytes each);
// - when the Map is full its names are written to a temporary on-disk store (UserNameDiskStore,
//   run by a worker thread so the writes overlap the pipeline: user-name-worker.js) and added to
//   a fixed-size Bloom filter (8 MiB), and the Map starts again empty;
// - a claim is answered from the Map, and from disk only when the Bloom filter says the name may
//   be there: a new name, almost every claim, never touches SQLite.
// A run that never reaches the threshold never creates a file.
//
// Why 10,000 by default (measured with scripts/measure-registry.mjs, 3M realistic emails): the
// old all-in-memory Map peaked at 343 MB RSS for 1M names. Moving names to disk beyond 250,000
// barely lowered the peak (~350 MB at 1M): V8 lets the heap grow to several times its live size
// before it collects the Maps already written to disk. 50,000 peaked at ~200 MB, 20,000 at 171 MB,
// 10,000 at 155 MB (the script alone takes 67 MB), flat from 1M to 3M, at the same speed within
// the noise of this shared machine: ~130,000 claims/s, 6–7 µs of CPU a claim with the generator
// (the plain Map: ~4 µs, but unbounded).
//
// Resume: the registry lives for one run only. After an interrupted run is resumed, it holds the
// names of this run's records, not those acknowledged before the interruption, so a duplicate of
// an already-imported user is no longer caught here; ZITADEL then answers that user with
// `Errors.User.AlreadyExists` and the sink reports it. Persisting the names is not worth the I/O.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FatalError, WorkerChannel } from '@idflow/engine';
import { StringBloomFilter } from './string-bloom-filter.js';

const workerUrl = new URL('./user-name-worker.js', import.meta.url);
/** Batches handed to the store but not yet written; beyond this a move waits, so memory stays bounded. */
const maxBatchesInFlight = 2;

/** Store directories still in use, removed when the process exits even without close(). */
const openDirectories = new Set<string>();
let exitHookInstalled = false;

/** Names kept in memory before they move to disk, unless configured otherwise. */
export const DEFAULT_SPILL_THRESHOLD = 10_000;

/** V8 refuses to grow a Map beyond 2^24 entries. */
export const MAX_SPILL_THRESHOLD = 2 ** 24;

export interface UserNameRegistryOptions {
  /** Names kept in memory; beyond it they move to a temporary on-disk store (default 10,000). */
  spillThreshold?: number;
  /** Called once, with the store's directory, when the names first move to disk. */
  onSpill?: (directory: string) => void;
}

/** Remembers the userNames accepted in this run, case-insensitively, in bounded memory. */
export class UserNameRegistry {
  private readonly spillThreshold: number;
  private readonly onSpill?: (directory: string) => void;
  /** The names claimed since the last move to disk. */
  private recent = new Map<string, string>();
  private disk: WorkerChannel | undefined;
  private directory: string | undefined;
  private namesOnDisk = 0;
  private onDisk: StringBloomFilter | undefined;
  constructor(options: UserNameRegistryOptions = {}) {
    const threshold = options.spillThreshold ?? DEFAULT_SPILL_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_SPILL_THRESHOLD) {
      throw new RangeError(`spillThreshold must be an integer from 1 to ${MAX_SPILL_THRESHOLD} (got ${threshold})`);
    }
    this.spillThreshold = threshold;
    this.onSpill = options.onSpill;
  }

  /** Claims `userName` for `userId`; answers the id of the earlier owner when it was taken. */
  claim(userName: string, userId: string): string | undefined {
    const key = userName.toLowerCase();
    const owner = this.recent.get(key) ?? (this.onDisk?.mightContain(key) ? this.ownerOnDisk(key) : undefined);
    if (owner !== undefined) return owner === userId ? undefined : owner;
    this.recent.set(key, userId);
    if (this.recent.size >= this.spillThreshold) this.moveRecentToDisk();
    return undefined;
  }

  /** Names claimed so far. */
  get size(): number {
    return this.recent.size + this.namesOnDisk;
  }

  /** The temporary directory of the on-disk store, while there is one. */
  get storeDirectory(): string | undefined {
    return this.directory;
  }

  /** Removes the on-disk store, if any; the registry is empty afterwards. */
  close(): void {
    try {
      this.disk?.close('close');
    } catch {
      // The directory is removed below all the same.
    }
    if (this.directory) {
      rmSync(this.directory, { recursive: true, force: true });
      openDirectories.delete(this.directory);
    }
    this.disk = undefined;
    this.directory = undefined;
    this.onDisk = undefined;
    this.namesOnDisk = 0;
    this.recent = new Map();
  }

  private ownerOnDisk(name: string): string | undefined {
    try {
      return this.disk!.call<string | null>('ownerOf', { name }) ?? undefined;
    } catch (error) {
      throw this.storeFailed(error);
    }
  }

  private moveRecentToDisk(): void {
    try {
      if (this.disk === undefined) {
        // The directory is made here, not by the store: the worker thread may still be starting.
        this.directory = mkdtempSync(join(tmpdir(), 'idflow-usernames-'));
        openDirectories.add(this.directory);
        if (!exitHookInstalled) {
          process.on('exit', () => {
            for (const directory of openDirectories) rmSync(directory, { recursive: true, force: true });
          });
          exitHookInstalled = true;
        }
        this.disk = new WorkerChannel(workerUrl, { directory: this.directory }, maxBatchesInFlight);
        this.onDisk = new StringBloomFilter();
        this.onSpill?.(this.directory);
      }
      this.disk.send('addBatch', { names: [...this.recent.keys()], owners: [...this.recent.values()] });
    } catch (error) {
      throw this.storeFailed(error);
    }
    for (const name of this.recent.keys()) this.onDisk!.add(name);
    this.namesOnDisk += this.recent.size;
    this.recent = new Map();
  }

  private storeFailed(error: unknown): FatalError {
    return new FatalError(
      `zitadel-validate: cannot move userNames to a temporary store under ${tmpdir()}: ${(error as Error).message}; free disk space there or point TMPDIR elsewhere, or set uniqueUserNames: false (ZITADEL still refuses a taken userName itself)`,
    );
  }
}
