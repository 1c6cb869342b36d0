// The checkpoint file: what a resumed run needs to send no acknowledged record twice and lose none.
// Written atomically (temp file, fsync, rename, fsync of the directory), so a kill -9 at any moment
// leaves either the previous checkpoint or the new one, never a torn file.

import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointMismatchError } from '../errors.js';
import type { AckSnapshot } from './ack-tracker.js';
import type { SavedTally } from './run-tally.js';

export const CHECKPOINT_VERSION = 1;

export interface CheckpointData extends AckSnapshot, SavedTally {
  version: typeof CHECKPOINT_VERSION;
  pipeline: string;
  /** `Source.fingerprint()` of the inputs this checkpoint belongs to. */
  fingerprint: string;
  /** The run finished: a re-run has nothing to do (see `runPipeline`). */
  completed: boolean;
  /** `Sink.checkpointState()`, made durable before this file was written. */
  sinkState?: unknown;
  /** Length of the dead-letter file at the snapshot, fsynced before this file was written. */
  dlqBytes?: number;
  savedAt: string;
}

export class CheckpointStore {
  constructor(readonly path: string) {}

  /** The saved checkpoint, or undefined when there is none. */
  async load(): Promise<CheckpointData | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let data: Partial<CheckpointData>;
    try {
      data = JSON.parse(text) as Partial<CheckpointData>;
    } catch (error) {
      throw this.unusable(`it is not valid JSON (${(error as Error).message})`);
    }
    if (data.version !== CHECKPOINT_VERSION || typeof data.fingerprint !== 'string' || typeof data.watermark !== 'number') {
      throw this.unusable(`it was written by an incompatible version (version ${String(data.version)})`);
    }
    return data as CheckpointData;
  }

  async save(data: CheckpointData): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.tmp`);
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, this.path);
    await syncDirectory(dir);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }

  private unusable(why: string): CheckpointMismatchError {
    return new CheckpointMismatchError(`checkpoint ${this.path} cannot be used: ${why}. Run with --fresh to start over.`);
  }
}

/** Makes a rename durable; some filesystems refuse to fsync a directory, which is then harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. some network filesystems): the rename itself is still atomic.
  }
}
