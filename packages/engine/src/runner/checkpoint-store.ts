// The checkpoint file: what a resumed run needs to send no acknowledged record twice and lose none,
// and what it belongs to (inputs, target, settings), so it is never applied to another run.
// Written atomically (temp file, fsync, rename, fsync of the directory), so a kill -9 at any moment
// leaves either the previous checkpoint or the new one, never a torn file.

import { readFile, rm } from 'node:fs/promises';
import { CheckpointMismatchError } from '../errors.js';
import type { SinkTarget } from '../plugin.js';
import type { AckSnapshot } from './ack-tracker.js';
import { writeFileAtomically } from './atomic-file.js';
import type { SavedTally } from './run-tally.js';

/** 2: bound to the target and the settings; acknowledged seqs above the watermark kept as ranges. */
export const CHECKPOINT_VERSION = 2;

export interface CheckpointData extends AckSnapshot, SavedTally {
  version: typeof CHECKPOINT_VERSION;
  pipeline: string;
  /** `Source.fingerprint()` of the inputs this checkpoint belongs to. */
  fingerprint: string;
  /** Where the sink writes (`Sink.target()`, or just the sink's name): a run elsewhere is refused. */
  target: SinkTarget;
  /** The stages' settings (`path → JSON`), tuning, paths and secrets left out: a run with others is refused. */
  settings: { [path: string]: string };
  /** The `--set` flags of the run that wrote it (secrets as `***`), for messages. */
  startedWith?: string[];
  /** The run finished: a re-run has nothing to do (see `runPipeline`). */
  completed: boolean;
  /** `Sink.checkpointState()`, made durable before this file was written. */
  sinkState?: unknown;
  /** Length of the dead-letter file at the snapshot, fsynced before this file was written. */
  dlqBytes?: number;
  /** Lengths of failures.csv and warnings.csv at the snapshot, likewise (absent before they existed). */
  failuresBytes?: number;
  warningsBytes?: number;
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
    if ((data.version as number) === 1) {
      throw this.unusable('it was written by an earlier idflow, which did not record the target and settings it belongs to');
    }
    if (data.version !== CHECKPOINT_VERSION || typeof data.fingerprint !== 'string' || typeof data.watermark !== 'number' || !Array.isArray(data.above)) {
      throw this.unusable(`it was written by an incompatible version (version ${String(data.version)})`);
    }
    return data as CheckpointData;
  }

  async save(data: CheckpointData): Promise<void> {
    await writeFileAtomically(this.path, `${JSON.stringify(data, null, 2)}\n`, 0o600);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }

  private unusable(why: string): CheckpointMismatchError {
    return new CheckpointMismatchError(`checkpoint ${this.path} cannot be used: ${why}. Run with --fresh to start over.`);
  }
}
