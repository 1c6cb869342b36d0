// What a run starts from: nothing (first run, --fresh, no `checkpoint:`), or the saved state of an
// interrupted run over the very same inputs. Changed inputs are refused: resuming by position over
// a different file would skip or repeat records.

import { CheckpointMismatchError } from '../errors.js';
import type { Source } from '../plugin.js';
import type { CheckpointData, CheckpointStore } from './checkpoint-store.js';

export interface StartingPoint {
  /** The interrupted (or completed) run's checkpoint; undefined: start from the beginning. */
  saved?: CheckpointData;
  /** The inputs' fingerprint now ('' when there is no checkpoint store). */
  fingerprint: string;
}

export async function restoreCheckpoint(store: CheckpointStore | undefined, source: Source, fresh: boolean): Promise<StartingPoint> {
  if (!store) return { fingerprint: '' };
  if (fresh) await store.remove();
  const saved = await store.load();
  const fingerprint = await source.fingerprint();
  if (saved && saved.fingerprint !== fingerprint) {
    throw new CheckpointMismatchError(
      `checkpoint ${store.path} belongs to different inputs: the source changed since that run (fingerprint differs), so resuming could skip or repeat records. Run with --fresh to start over.`,
    );
  }
  return { saved, fingerprint };
}
