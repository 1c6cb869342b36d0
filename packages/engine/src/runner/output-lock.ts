// One run at a time per output folder: two runs writing the same checkpoint, dead-letter file and
// sink output would each think they own them (a million duplicate lines, a checkpoint describing
// neither). A run holds `.idflow.lock` in every folder it writes into, naming its pid; a second run
// is refused with that pid. A lock whose process is gone (kill -9, a crash) is taken over.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OutputLockedError } from '../errors.js';

export const LOCK_FILE = '.idflow.lock';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  pipeline: string;
  since: string;
}

/** Locks taken by this process, released at exit even when the run never reached its end. */
const heldLocks = new Set<string>();
let exitHookInstalled = false;

/** The locks of one run; `release()` on every path. */
export class OutputLock {
  private constructor(private readonly files: string[]) {}

  /**
   * Locks every folder (created when missing, skipped when it cannot be), or throws an OutputLockedError naming the run that
   * holds one. `onTakeOver` hears of each stale lock taken over.
   */
  static async acquire(folders: readonly string[], pipeline: string, onTakeOver: (message: string) => void): Promise<OutputLock> {
    const lock = new OutputLock([]);
    try {
      for (const folder of folders) {
        // A folder that cannot be made (a file in the way…) cannot be written by another run either;
        // the stage that writes there says what is wrong, precisely, when it is opened.
        if (!(await mkdir(folder, { recursive: true }).then(() => true, () => false))) continue;
        lock.files.push(lockFolder(folder, pipeline, onTakeOver));
      }
    } catch (error) {
      lock.release();
      throw error;
    }
    return lock;
  }

  release(): void {
    for (const file of this.files.splice(0)) {
      heldLocks.delete(file);
      rmSync(file, { force: true });
    }
  }
}

function lockFolder(folder: string, pipeline: string, onTakeOver: (message: string) => void): string {
  const file = join(folder, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), pipeline, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      remember(file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = readHolder(file);
    if (holder && isRunning(holder, file)) throw lockedError(folder, holder);
    // Stale: moved aside first, so that of two runs taking it over at once only one gets it.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // another run moved it first; try to create ours
    }
    const moved = readHolder(aside);
    if (moved && isRunning(moved, file)) {
      renameSync(aside, file); // a live run's lock after all (it started in between): put it back
      throw lockedError(folder, moved);
    }
    rmSync(aside, { force: true });
    onTakeOver(
      moved
        ? `took over the lock of ${folder}: the run that held it (pid ${moved.pid}, ${moved.pipeline}, since ${moved.since}) is no longer running`
        : `took over the unreadable lock file ${file}`,
    );
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? (holder as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** A holder on another host cannot be checked: it counts as running. */
function isRunning(holder: LockHolder, file: string): boolean {
  if (holder.host !== hostname()) return true;
  // This process: another run of it holds the lock, or it is one left by a process with our pid.
  if (holder.pid === process.pid) return heldLocks.has(file);
  return isProcessRunning(holder.pid);
}

/** True when a process with this pid runs on this host (EPERM: it does, as another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(folder: string, holder: LockHolder): OutputLockedError {
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return new OutputLockedError(
    `${folder} is in use by another idflow run (${where}, ${holder.pipeline}, since ${holder.since}): two runs writing the same files would duplicate users. Wait for it to finish or stop it; if it is gone for good, remove ${join(folder, LOCK_FILE)}.`,
  );
}

function remember(file: string): void {
  heldLocks.add(file);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const held of heldLocks) rmSync(held, { force: true });
  });
}
