// runPipeline: the one entry point of the runtime. It opens the stages, checks the target and the
// checkpoint, pumps records from source through transforms to the sink, and ends with a report on
// every path.
//
// Before anything is written, in this order: lock the output folders (output-lock.ts), open the
// source, the transforms and the sink, preflight the sink (`Sink.preflight`: reachable, allowed),
// then compare the checkpoint with this run's inputs, target and settings (restore-checkpoint.ts).
// Only then are the dead-letter file and the sink's output opened.
//
// A record's path through this folder:
//   record-pump.ts      pulls the source (only when there is room), numbers it, applies transforms
//   batch-builder.ts    groups survivors by the sink's BatchPolicy
//   sink-dispatcher.ts  sends batches (p-limit), retries `retryable` outcomes with backoff
//   record-ledger.ts    books each fate: delivered / rejected (dead-letter-writer.ts), which
//                       acknowledges it (ack-tracker.ts) and counts it (run-tally.ts) — or
//                       undeliverable (the target was away): counted, left unacknowledged
//   target-breaker.ts   stops the run when the target has taken nothing for too long
//   watchdog.ts         time limits on plugin calls
//   checkpointer.ts     saves acknowledged progress (checkpoint-store.ts); restore-checkpoint.ts reads it
//
// Re-running a pipeline whose checkpoint says it completed does nothing: the user expects a
// finished migration to stay finished (no output file written twice), and `--fresh` is the
// explicit way to do it again. The checkpoint is therefore kept, marked complete, not deleted. It
// is marked complete only when every record is final: delivered, present, or refused.

import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseDuration } from '../config/duration.js';
import { outputFolders, pipelinePaths, reportPathOf } from '../config/pipeline-paths.js';
import { CheckpointMismatchError, ConfigError, IdflowError, OutputLockedError } from '../errors.js';
import type { LoadedPipeline, RunEvent, RunHandle, RunOptions, RunReport } from '../pipeline.js';
import type { Origin, SinkFinishResult } from '../plugin.js';
import type { PluginRegistry } from '../registry.js';
import { AckTracker } from './ack-tracker.js';
import { CheckpointStore } from './checkpoint-store.js';
import { CHECKPOINT_INTERVAL_MS, Checkpointer } from './checkpointer.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { createDelivery, drainDelivery } from './delivery.js';
import { checkRejectLimit, parseMaxRejects } from './max-rejects.js';
import { type ContextFor, closeStages, type LimitCall, type OpenedStages, type OpenedTransform, openRest, openSource } from './open-stages.js';
import { OutputLock } from './output-lock.js';
import { createPluginContext } from './plugin-context.js';
import { RecordLedger } from './record-ledger.js';
import { pumpRecords } from './record-pump.js';
import { type RunIdentity, restoreCheckpoint } from './restore-checkpoint.js';
import { RunEvents } from './run-events.js';
import { pipelineSettings, targetOf } from './run-identity.js';
import { buildReport, type ReportInputs, writeReport } from './run-report.js';
import { RunTally } from './run-tally.js';
import { createRunTempDir, sweepStaleRunDirs } from './run-temp-dir.js';
import { asFatal } from './sink-dispatcher.js';
import { StopControl } from './stop-control.js';
import { TargetBreaker } from './target-breaker.js';
import { checkIntervalFor, Watchdog } from './watchdog.js';

export const PROGRESS_INTERVAL_MS = 250;

/** Defaults of `timeouts:` (see the pipeline schema). */
export const DEFAULT_TIMEOUTS = { transformMs: 5 * 60_000, sinkWriteMs: 30 * 60_000, targetUnavailableMs: 5 * 60_000 };
/** Longest wait for a plugin's `close` (bounded by `timeouts.sinkWrite` too). */
const CLOSE_TIMEOUT_MS = 60_000;

/**
 * Starts a run. Events flow on `events` (subscribe right away: the run starts on the next tick);
 * `result` resolves with the report on every outcome, and rejects only for config errors
 * (ConfigError, CheckpointMismatchError, OutputLockedError) and bugs.
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
  return besideWithSuffix(path, 'dry-run');
}

/** `out/report.json` → `out/report.<suffix>.json`. */
function besideWithSuffix(path: string, suffix: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${suffix}${ext}`);
}

/** Refused before the sink (source or transforms, this run and those it resumed): ids the sink never saw. */
function refusedBeforeSink(tally: RunTally, sinkStage: string): number {
  let refused = 0;
  for (const [stage, byReason] of Object.entries(tally.rejectedByReason)) {
    if (stage !== sinkStage) for (const n of Object.values(byReason)) refused += n;
  }
  return refused;
}

async function executeRun(pipeline: LoadedPipeline, registry: PluginRegistry, options: RunOptions, events: RunEvents): Promise<RunReport> {
  const startedAt = new Date();
  const { config, baseDir } = pipeline;
  // `idflow diff` is a dry run whose sink is opened to read the target (and write nothing to it).
  const diffPath = options.diffPath ? resolve(options.diffPath) : undefined;
  const dryRun = options.dryRun === true || diffPath !== undefined;
  if (diffPath && !registry.get(config.sink.use, 'sink').previewsChanges) {
    // Any other sink would write its output while "previewing".
    throw new ConfigError([{ file: pipeline.file, path: 'sink.use', message: `idflow diff needs a sink that can compare without writing (zitadel-users, zitadel-import); ${config.sink.use} cannot` }]);
  }
  const rejectLimit = parseMaxRejects(config.maxRejects);
  const timeouts = {
    transformMs: parseDuration(config.timeouts?.transform, DEFAULT_TIMEOUTS.transformMs),
    sinkWriteMs: parseDuration(config.timeouts?.sinkWrite, DEFAULT_TIMEOUTS.sinkWriteMs),
    targetUnavailableMs: parseDuration(config.timeouts?.targetUnavailable, DEFAULT_TIMEOUTS.targetUnavailableMs),
  };
  const dlqPath = deadLetterPath(pipeline, dryRun);
  const checkpointPath = !dryRun && config.checkpoint ? resolve(baseDir, config.checkpoint.path) : undefined;
  const reportPath = diffPath ? besideWithSuffix(reportPathOf(config, baseDir), 'diff') : reportPathOf(config, baseDir);
  const paths = { dlqPath, reportPath, checkpointPath };

  const tally = new RunTally();
  const stop = new StopControl();
  const warn = (plugin: string, message: string) => {
    tally.warnings += 1;
    events.emit({ type: 'warning', plugin, message });
  };
  // Transforms and the sink keep working while the run drains after Ctrl-C; they are told to give
  // up only on a fatal error or once the run is over. The source is told at once.
  const downstream = new AbortController();
  stop.onStop(() => stop.reason === 'failed' && downstream.abort());
  const watchdog = new Watchdog(checkIntervalFor(timeouts.transformMs, timeouts.sinkWriteMs));
  const limitSinkCall: LimitCall = (call, what) => watchdog.limit(call, timeouts.sinkWriteMs, what);
  const limitClose: LimitCall = (call, what) => watchdog.limit(call, Math.min(timeouts.sinkWriteMs, CLOSE_TIMEOUT_MS), what);

  const onInterrupt = () => stop.request('interrupted', 'interrupted: stopped reading, drained in-flight records and saved the checkpoint');
  if (options.signal?.aborted) onInterrupt();
  options.signal?.addEventListener('abort', onInterrupt, { once: true });

  const stages: Partial<OpenedStages> & { transforms: OpenedTransform[] } = { transforms: [], sourceName: config.source.use, sinkName: config.sink.use };
  const dlq = new DeadLetterWriter(dlqPath);
  const store = checkpointPath ? new CheckpointStore(checkpointPath) : undefined;
  let sinkFinish: SinkFinishResult | undefined;
  const report = (finished: boolean, extra?: ReportInputs['extra']) =>
    buildReport({ pipeline: config.name, file: pipeline.file, dryRun, startedAt, tally, stop, finished, paths, extra });
  let lock: OutputLock | undefined;
  let tempDir: ReturnType<typeof createRunTempDir> | undefined;
  try {
    return await runLocked();
  } finally {
    options.signal?.removeEventListener('abort', onInterrupt);
    tempDir?.remove();
    lock?.release();
    watchdog.stop();
  }

  /** Everything after the setup above; the caller releases the lock, the temp folder and the watchdog. */
  async function runLocked(): Promise<RunReport> {
    let finished = false;
    let resumedFrom: Origin | undefined;
    try {
      const findPlugin = (name: string, kind: Parameters<PluginRegistry['has']>[1]) => registry.list().find((p) => p.name === name && p.kind === kind);
      lock = await OutputLock.acquire(outputFolders(pipelinePaths(config, baseDir, findPlugin)), config.name, (message) => warn('runner', message));
      for (const swept of sweepStaleRunDirs()) {
        events.emit({ type: 'log', level: 'info', plugin: 'runner', message: `removed the temporary folder of a run that was killed${swept.pid ? ` (pid ${swept.pid})` : ''}: ${swept.dir}` });
      }
      tempDir = createRunTempDir();
      const runTempDir = tempDir.path;
      const contextFor: ContextFor = (plugin, role) =>
        createPluginContext(plugin, role === 'source' ? stop.signal : downstream.signal, {
          baseDir,
          dryRun,
          tally,
          events,
          tempDir: runTempDir,
          diffPath: role === 'sink' ? diffPath : undefined,
        });

      const source = await openSource(pipeline, registry, contextFor);
      stages.source = source;
      await openRest(pipeline, registry, contextFor, !dryRun || diffPath !== undefined, stages);
      const sink = stages.sink;
      if (sink?.preflight) {
        const transforms = (config.transforms ?? []).map((t) => ({ use: t.use, with: t.with }));
        await limitSinkCall(sink.preflight({ transforms }), `sink ${config.sink.use}: preflight`);
      }
      const identity: RunIdentity = {
        fingerprint: store ? await source.fingerprint() : '',
        target: await targetOf(sink, config.sink.use),
        settings: pipelineSettings(pipeline, registry),
        startedWith: pipeline.setFlags ?? [],
      };
      const saved = await restoreCheckpoint(store, identity, options.fresh === true);
      if (options.fresh) await store?.remove();
      if (saved) tally.restore(saved);
      if (saved?.completed) {
        warn('runner', `pipeline already completed (checkpoint ${store!.path}); nothing to do. Run with --fresh to start over.`);
        // The report of the run that completed stays on disk; this one is only returned.
        await closeStages(stages, () => undefined, limitClose);
        return report(true, { alreadyCompleted: true });
      }
      resumedFrom = saved?.watermarkOrigin;
      const tracker = new AckTracker(saved);
      dlq.open(saved ? (saved.dlqBytes ?? 0) : undefined);
      if (sink?.open) await limitSinkCall(sink.open(saved?.sinkState), `sink ${config.sink.use}: open`);

      const ledger = new RecordLedger(tracker, tally, dlq, events, stop, rejectLimit, `sink:${config.sink.use}`);
      const concurrency = Math.max(1, Math.floor(config.concurrency ?? 1));
      const breaker = new TargetBreaker(timeouts.targetUnavailableMs, config.sink.use, (error) => stop.request('failed', error));
      const delivery = sink
        ? createDelivery(sink, config.sink.use, concurrency, ledger, stop, { watchdog, writeTimeoutMs: timeouts.sinkWriteMs, breaker })
        : undefined;
      const checkpointer = store
        ? new Checkpointer({ store, pipeline: config.name, identity, tracker, tally, dlq, events, sink, dispatcher: delivery?.dispatcher, limitSinkCall })
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
        const limit = { watchdog, timeoutMs: timeouts.transformMs };
        await pumpRecords({ read, transforms: stages.transforms, tracker, ledger, tally, stop, delivery, limit });
        const exhausted = !stop.requested;
        await drainDelivery(delivery, stop);
        const overLimit = exhausted ? checkRejectLimit(rejectLimit, tally.totals(), true) : undefined;
        if (overLimit) stop.request('max-rejects', overLimit);
        finished = exhausted && !stop.requested;
        // Every record is final and the source was read to its end: the sink may act on what it did not see.
        if (finished && tally.live.undeliverable === 0 && sink?.finish) {
          const info = { refusedBeforeSink: refusedBeforeSink(tally, `sink:${config.sink.use}`), outputDir: dirname(reportPath) };
          sinkFinish = await limitSinkCall(sink.finish(info), `sink ${config.sink.use}: finish`);
          finished = !stop.requested;
        }
      } finally {
        stopProgress();
        checkpointer?.stopPeriodic();
      }
      // Complete only when every record is final: an undeliverable one is sent again by the next run.
      await checkpointer?.save(finished && tally.live.undeliverable === 0).catch((error: unknown) => {
        stop.request('failed', asFatal(error, 'saving the checkpoint failed'));
        finished = false;
      });
    } catch (error) {
      if (error instanceof ConfigError || error instanceof CheckpointMismatchError || error instanceof OutputLockedError) {
        await closeStages(stages, () => undefined, limitClose);
        dlq.close();
        throw error;
      }
      stop.request('failed', error instanceof IdflowError ? error : asFatal(error, 'the run failed'));
    }
    downstream.abort();
    await closeStages(stages, warn, limitClose);
    dlq.close();
    const final = report(finished, {
      ...(resumedFrom ? { resumedFrom } : {}),
      ...(sinkFinish?.missing ? { missing: sinkFinish.missing } : {}),
      ...(diffPath ? { diffPath } : {}),
    });
    const reportError = await writeReport(final);
    if (reportError) {
      warn('runner', reportError);
      Object.assign(final, { reportError, reportPath: undefined, warnings: tally.warnings, exitCode: final.exitCode === 0 ? 1 : final.exitCode });
    }
    return final;
  }
}
