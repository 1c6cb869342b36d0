// runPipeline: the one entry point of the runtime. It opens the stages, restores the checkpoint,
// pumps records from source through transforms to the sink, and ends with a report on every path.
//
// A record's path through this folder:
//   record-pump.ts      pulls the source (only when there is room), numbers it, applies transforms
//   batch-builder.ts    groups survivors by the sink's BatchPolicy
//   sink-dispatcher.ts  sends batches (p-limit), retries `retryable` outcomes with backoff
//   record-ledger.ts    books each fate: delivered / rejected (dead-letter-writer.ts) / undeliverable,
//                       which acknowledges it (ack-tracker.ts) and counts it (run-tally.ts)
//   checkpointer.ts     saves acknowledged progress (checkpoint-store.ts); restore-checkpoint.ts reads it
//
// Re-running a pipeline whose checkpoint says it completed does nothing: the user expects a
// finished migration to stay finished (no output file written twice), and `--fresh` is the
// explicit way to do it again. The checkpoint is therefore kept, marked complete, not deleted.

import { basename, dirname, extname, join, resolve } from 'node:path';
import { CheckpointMismatchError, ConfigError, IdflowError } from '../errors.js';
import type { LoadedPipeline, RunEvent, RunHandle, RunOptions, RunReport } from '../pipeline.js';
import type { Origin } from '../plugin.js';
import type { PluginRegistry } from '../registry.js';
import { AckTracker } from './ack-tracker.js';
import { CheckpointStore } from './checkpoint-store.js';
import { CHECKPOINT_INTERVAL_MS, Checkpointer } from './checkpointer.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { checkRejectLimit, parseMaxRejects } from './max-rejects.js';
import { type ContextFor, closeStages, type OpenedStages, type OpenedTransform, openRest, openSource } from './open-stages.js';
import { createPluginContext } from './plugin-context.js';
import { RecordLedger } from './record-ledger.js';
import { pumpRecords } from './record-pump.js';
import { RunEvents } from './run-events.js';
import { buildReport, type ReportInputs, writeReport } from './run-report.js';
import { RunTally } from './run-tally.js';
import { asFatal } from './sink-dispatcher.js';
import { createDelivery, drainDelivery } from './delivery.js';
import { restoreCheckpoint } from './restore-checkpoint.js';
import { StopControl } from './stop-control.js';

export const PROGRESS_INTERVAL_MS = 250;

/**
 * Starts a run. Events flow on `events` (subscribe right away: the run starts on the next tick);
 * `result` resolves with the report on every outcome, and rejects only for config errors
 * (ConfigError, CheckpointMismatchError) and bugs.
 */
export function runPipeline(pipeline: LoadedPipeline, registry: PluginRegistry, options: RunOptions = {}): RunHandle {
  const events = new RunEvents();
  const result = Promise.resolve()
    .then(() => executeRun(pipeline, registry, options, events))
    .then(
      (report) => {
        events.emit({ type: 'end', report });
        events.complete();
        return report;
      },
      (error: unknown) => {
        events.complete();
        throw error;
      },
    );
  return { events: events.observable, result };
}

/** Where the dead-letter output goes; a dry run writes beside it so a resumable real run's file is untouched. */
function deadLetterPath(pipeline: LoadedPipeline, dryRun: boolean): string | undefined {
  const configured = pipeline.config.dlq?.path;
  if (!configured) return undefined;
  const path = resolve(pipeline.baseDir, configured);
  if (!dryRun) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.dry-run${ext}`);
}

async function executeRun(pipeline: LoadedPipeline, registry: PluginRegistry, options: RunOptions, events: RunEvents): Promise<RunReport> {
  const startedAt = new Date();
  const { config, baseDir } = pipeline;
  const dryRun = options.dryRun === true;
  const rejectLimit = parseMaxRejects(config.maxRejects);
  const dlqPath = deadLetterPath(pipeline, dryRun);
  const checkpointPath = !dryRun && config.checkpoint ? resolve(baseDir, config.checkpoint.path) : undefined;
  const paths = { dlqPath, reportPath: join(dlqPath ? dirname(dlqPath) : resolve(baseDir), 'report.json'), checkpointPath };

  const tally = new RunTally();
  const stop = new StopControl();
  // Transforms and the sink keep working while the run drains after Ctrl-C; they are told to give
  // up only on a fatal error or once the run is over. The source is told at once.
  const downstream = new AbortController();
  stop.onStop(() => stop.reason === 'failed' && downstream.abort());
  const contextFor: ContextFor = (plugin, role) =>
    createPluginContext(plugin, role === 'source' ? stop.signal : downstream.signal, { baseDir, dryRun, tally, events });

  const onInterrupt = () => stop.request('interrupted', 'interrupted: stopped reading, drained in-flight records and saved the checkpoint');
  if (options.signal?.aborted) onInterrupt();
  options.signal?.addEventListener('abort', onInterrupt, { once: true });

  const stages: Partial<OpenedStages> & { transforms: OpenedTransform[] } = { transforms: [], sourceName: config.source.use, sinkName: config.sink.use };
  const dlq = new DeadLetterWriter(dlqPath);
  const store = checkpointPath ? new CheckpointStore(checkpointPath) : undefined;
  const report = (completed: boolean, extra?: ReportInputs['extra']) =>
    buildReport({ pipeline: config.name, file: pipeline.file, dryRun, startedAt, tally, stop, completed, paths, extra });
  let completed = false;
  let resumedFrom: Origin | undefined;
  try {
    const source = await openSource(pipeline, registry, contextFor);
    stages.source = source;
    const { saved, fingerprint } = await restoreCheckpoint(store, source, options.fresh === true);
    if (saved) tally.restore(saved);
    if (saved?.completed) {
      tally.warnings += 1;
      events.emit({ type: 'warning', plugin: 'runner', message: `pipeline already completed (checkpoint ${store!.path}); nothing to do. Run with --fresh to start over.` });
      // The report of the run that completed stays on disk; this one is only returned.
      await closeStages(stages, () => undefined);
      return report(true, { alreadyCompleted: true });
    }
    resumedFrom = saved?.watermarkOrigin;
    const tracker = new AckTracker(saved);
    dlq.open(saved ? (saved.dlqBytes ?? 0) : undefined);
    await openRest(pipeline, registry, contextFor, !dryRun, stages);
    const sink = stages.sink;
    if (sink?.open) await sink.open(saved?.sinkState);

    const ledger = new RecordLedger(tracker, tally, dlq, events, stop, rejectLimit, `sink:${config.sink.use}`);
    const concurrency = Math.max(1, Math.floor(config.concurrency ?? 1));
    const delivery = sink ? createDelivery(sink, config.sink.use, concurrency, ledger, stop) : undefined;
    const checkpointer = store
      ? new Checkpointer({ store, pipeline: config.name, fingerprint, tracker, tally, dlq, events, sink, dispatcher: delivery?.dispatcher })
      : undefined;
    const startTime = Date.now();
    let stopProgress = () => {};
    try {
      checkpointer?.startPeriodic(options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS, (error) =>
        stop.request('failed', asFatal(error, 'saving the checkpoint failed')),
      );
      stopProgress = events.every(PROGRESS_INTERVAL_MS, (): RunEvent => {
        const bytes = source.progress?.();
        return { type: 'progress', counts: tally.totals(), bytesDone: bytes?.done, bytesTotal: bytes?.total, elapsedMs: Date.now() - startTime };
      });
      events.emit({ type: 'start', pipeline: config.name, resumedFrom, totalBytes: source.progress?.()?.total });
      const read = () => source.read({ resumeAfter: resumedFrom });
      await pumpRecords({ read, transforms: stages.transforms, tracker, ledger, tally, stop, delivery });
      const exhausted = !stop.requested;
      await drainDelivery(delivery, stop);
      const overLimit = exhausted ? checkRejectLimit(rejectLimit, tally.totals(), true) : undefined;
      if (overLimit) stop.request('max-rejects', overLimit);
      completed = exhausted && !stop.requested;
    } finally {
      stopProgress();
      checkpointer?.stopPeriodic();
    }
    await checkpointer?.save(completed).catch((error: unknown) => {
      stop.request('failed', asFatal(error, 'saving the checkpoint failed'));
      completed = false;
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CheckpointMismatchError) {
      await closeStages(stages, () => undefined);
      dlq.close();
      throw error;
    }
    stop.request('failed', error instanceof IdflowError ? error : asFatal(error, 'the run failed'));
  } finally {
    options.signal?.removeEventListener('abort', onInterrupt);
  }
  downstream.abort();
  await closeStages(stages, (plugin, message) => {
    tally.warnings += 1;
    events.emit({ type: 'warning', plugin, message });
  });
  dlq.close();
  const final = report(completed, resumedFrom ? { resumedFrom } : undefined);
  await writeReport(final);
  return final;
}
