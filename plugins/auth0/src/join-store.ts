// The main thread's side of the on-disk join index (join-worker.js: SQLite in a worker thread).
//
// Why a worker: each lookup in a table far larger than memory costs a disk read (~7–11 µs here,
// mostly the system call), as long as parsing the profile line it is for. In a worker, the reads
// for one chunk of profiles run while the main thread parses the next chunk and the pipeline maps
// and writes the previous one, so the join costs little wall time.
//
// Calls go through the engine's WorkerChannel: synchronous from the caller's view, except that
// `request` posts work and returns a ticket to `take` later: that is how chunks overlap.

import { WorkerChannel } from '@idflow/engine';

/** [ordinal, value] of a password record. */
export type FoundRow = [ordinal: number, value: string];
/** [ordinal, key, value] of a password record. */
export type PasswordRow = [ordinal: number, key: string, value: string];
/** [ordinal, key, value, firstValue] of a later copy of a key. */
export type DuplicateRow = [ordinal: number, key: string, value: string, firstValue: string];
/** Per profile id: its password record, the line it was first seen at, or 0 (new). */
export type ClaimResult = FoundRow | number;

const workerUrl = new URL('./join-worker.js', import.meta.url);
/** Appends posted but not yet answered; beyond this the caller waits, so memory stays bounded. */
const maxAppendsInFlight = 4;

export class JoinStore extends WorkerChannel {
  /**
   * `cacheMiB`: SQLite's page cache. Lookups land on random pages of a file far larger than any
   * cache that fits the memory bound, so a small one (holding the B-tree's inner pages) is as fast:
   * measured on 1M users, 8 MiB and 32 MiB differ by under 5% in time and by ~40 MB in peak RSS.
   */
  constructor(path: string, cacheMiB = 8) {
    super(workerUrl, { path, cacheMiB }, maxAppendsInFlight);
  }

  /** Appends password rows ([key, value, key, value, …]) without waiting, a few chunks ahead at most. */
  append(rows: string[]): void {
    this.send('append', { rows });
  }

  /** Waits for every append, builds the key index; answers the later copies of keys it removed. */
  seal(): DuplicateRow[] {
    return this.call<DuplicateRow[]>('seal');
  }

  /** Closes the database and ends the worker (the owner removes the directory). */
  override close(): void {
    try {
      super.close('close');
    } catch {
      // Already failed: the worker is ended all the same.
    }
  }
}
