// Saves checkpoints while the run goes on and at its end. The ordering is what makes resume exact:
//   1. pause new sink calls and wait for running ones, so everything the sink wrote is acknowledged;
//   2. take the acknowledgement snapshot, tally and dead-letter length in one synchronous step;
//   3. ask the sink to make its output durable and describe it (`checkpointState`), then resume;
//   4. fsync the dead-letter file and its lists (record-files.ts); 5. write the checkpoint atomically.
// A crash between any two steps leaves the previous checkpoint, whose sink/dead-letter lengths are
// shorter than the files: the resumed run truncates them back and re-sends what came after.

import type { Sink } from '../plugin.js';
import type { AckTracker } from './ack-tracker.js';
import type { CheckpointData, CheckpointStore } from './checkpoint-store.js';
import { CHECKPOINT_VERSION } from './checkpoint-store.js';
import type { RecordFiles } from './record-files.js';
import type { RunEvents } from './run-events.js';
import type { RunIdentity } from './restore-checkpoint.js';
import type { RunTally } from './run-tally.js';
import type { SinkDispatcher } from './sink-dispatcher.js';

export const CHECKPOINT_INTERVAL_MS = 1000;

export interface CheckpointerParts {
  store: CheckpointStore;
  pipeline: string;
  identity: RunIdentity;
  tracker: AckTracker;
  tally: RunTally;
  files: RecordFiles;
  events: RunEvents;
  sink?: Sink;
  dispatcher?: SinkDispatcher;
  /** Bounds the sink's `checkpointState` call (a sink that never answers must not hang the run). */
  limitSinkCall: <T>(call: Promise<T>, what: string) => Promise<T>;
}

export class Checkpointer {
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastSaved = -1;

  constructor(private readonly parts: CheckpointerParts) {}

  /** Saves every `intervalMs`; `onError` gets a failed save (the run should stop). */
  startPeriodic(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      this.save(false, false).catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  stopPeriodic(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Saves now (after any save in progress); `completed` marks the pipeline as done. Unless `force`,
   * nothing is written when no record was acknowledged since the last save.
   */
  save(completed: boolean, force = true): Promise<void> {
    const next = this.saving.catch(() => undefined).then(() => this.saveNow(completed, force));
    this.saving = next;
    return next;
  }

  private async saveNow(completed: boolean, force: boolean): Promise<void> {
    const { tracker, tally, files, sink, dispatcher, store } = this.parts;
    const withSinkState = Boolean(sink?.checkpointState);
    let data: CheckpointData;
    if (withSinkState && dispatcher) await dispatcher.pauseWrites();
    try {
      const acks = tracker.snapshot();
      if (!force && acks.watermark === this.lastSaved && acks.above.length === 0) return;
      const { identity } = this.parts;
      data = {
        version: CHECKPOINT_VERSION,
        pipeline: this.parts.pipeline,
        fingerprint: identity.fingerprint,
        target: identity.target,
        settings: identity.settings,
        ...(identity.startedWith.length > 0 ? { startedWith: identity.startedWith } : {}),
        completed,
        ...acks,
        ...tally.saved(),
        ...files.lengths(),
        savedAt: new Date().toISOString(),
      };
      // No write may start before the sink has answered: its state must match the snapshot exactly.
      if (withSinkState) data.sinkState = await this.parts.limitSinkCall(sink!.checkpointState!(), 'the sink\'s checkpointState');
    } finally {
      if (withSinkState && dispatcher) dispatcher.resumeWrites();
    }
    await files.sync();
    await store.save(data);
    this.lastSaved = data.watermark;
    if (data.watermarkOrigin) this.parts.events.emit({ type: 'checkpoint', origin: data.watermarkOrigin, seq: data.watermark });
  }
}
