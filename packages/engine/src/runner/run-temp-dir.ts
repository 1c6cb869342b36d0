// The run's private temp folder (`ctx.tempDir`): plugins put their spill files there (the auth0
// join index, the userName log — password hashes and user names). It is removed when the run
// ends; a run killed with -9 cannot, so each run first sweeps the folders of runs whose process is
// gone, named by the `owner.json` marker written into each.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from './output-lock.js';

const PREFIX = 'idflow-run-';
const MARKER = 'owner.json';
/** A folder without a marker (killed between creating it and writing the marker) is left alone this long. */
const UNMARKED_GRACE_MS = 60 * 60 * 1000;

/** Folders this process created and has not removed yet, removed at exit. */
const live = new Set<string>();
let exitHookInstalled = false;

/** Removes the temp folders of dead runs on this host; returns what was removed, for the log. */
export function sweepStaleRunDirs(root = tmpdir()): { dir: string; pid?: number }[] {
  const removed: { dir: string; pid?: number }[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    const owner = readOwner(dir);
    const stale = owner ? owner.host === hostname() && !isAlive(owner.pid) : isOlderThan(dir, UNMARKED_GRACE_MS);
    if (!stale || live.has(dir)) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push({ dir, pid: owner?.pid });
    } catch {
      // Someone else's, or already gone: not ours to insist on.
    }
  }
  return removed;
}

/** Creates this run's folder (0700) with its marker; `remove()` on every path. */
export function createRunTempDir(root = tmpdir()): { path: string; remove(): void } {
  const path = mkdtempSync(join(root, PREFIX));
  writeFileSync(join(path, MARKER), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`, { mode: 0o600 });
  live.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const dir of live) rmSync(dir, { recursive: true, force: true });
    });
  }
  return {
    path,
    remove() {
      live.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function readOwner(dir: string): { pid: number; host: string } | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  // Our own pid: a folder this process made is in `live`; any other was left by an earlier process
  // that had the same pid (containers start their command with the same pid every time).
  if (pid === process.pid) return false;
  return isProcessRunning(pid);
}

function isOlderThan(dir: string, ms: number): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs > ms;
  } catch {
    return false;
  }
}
