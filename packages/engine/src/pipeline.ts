// The pipeline as data (what a YAML file becomes after loading), and the runner's public API:
// what the CLI passes in and what it gets back (events while running, a report at the end).

import type { Observable } from 'rxjs';
import type { ConfigProblem } from './errors.js';
import type { Origin, SinkTarget } from './plugin.js';
import type { Timeline } from './runner/run-timeline.js';
import type { SampledUser } from './runner/record-sample.js';

/** `source:`, each of `transforms:`, and `sink:`. */
export interface StageConfig {
  use: string;
  with?: { [key: string]: unknown };
}

/** A pipeline after `${VAR}` interpolation, `--set` overrides and schema validation. */
export interface PipelineConfig {
  version: 1;
  name: string;
  /** Custom plugin modules: paths (relative to the pipeline file) or package names. */
  plugins?: string[];
  source: StageConfig;
  transforms?: StageConfig[];
  sink: StageConfig;
  /** Dead-letter output (NDJSON); failures.csv, warnings.csv and the reports (JSON, HTML) are written next to it. */
  dlq?: { path: string };
  checkpoint?: { path: string };
  /** Sink calls in flight at once. */
  concurrency?: number;
  /** Stop cleanly once more records than this were rejected: a count, or a percentage like "5%". */
  maxRejects?: number | string;
  /** Durations ("90s", "5m") or milliseconds; see the pipeline schema for the defaults. */
  timeouts?: { transform?: string | number; sinkWrite?: string | number; targetUnavailable?: string | number };
}

/** A loaded pipeline and where it came from. */
export interface LoadedPipeline {
  config: PipelineConfig;
  /** The pipeline file as the user named it. */
  file: string;
  /** Directory relative paths are resolved against (the pipeline file's directory). */
  baseDir: string;
  /** Located warnings found while loading (e.g. a key file others can read); the pipeline is still valid. */
  warnings?: ConfigProblem[];
  /** The `--set` arguments it was loaded with, secret values replaced by `***` (for hints and the checkpoint). */
  setFlags?: string[];
}

export interface RunOptions {
  /** Read and transform everything, write nothing to the target (the report is still written). */
  dryRun?: boolean;
  /** Ignore and replace an existing checkpoint. */
  fresh?: boolean;
  /**
   * `idflow diff`: like a dry run (no checkpoint, nothing written to the target), but the sink is
   * opened and reads the target to say what a run would change, writing one line per user here.
   */
  diffPath?: string;
  /** Aborting it stops reading, drains what is in flight, saves the checkpoint, then resolves. */
  signal?: AbortSignal;
  /** How often the checkpoint is saved while running (default 1000 ms; tests use less). */
  checkpointIntervalMs?: number;
  /**
   * For `idflow retry`: the target the replayed records were meant for (the original run's
   * checkpoint). A sink whose target differs is refused (CheckpointMismatchError), like a resume.
   */
  sameTargetAs?: { target: SinkTarget; what: string };
  /** For `idflow retry`: completes the report before it is written (adds `retry`). */
  amendReport?: (report: RunReport) => RunReport;
}

/** Counts the CLI shows and the JSON report holds (totals across a run and the runs it resumed). */
export interface RunCounts {
  /** Records (users) the source yielded, malformed ones included. */
  read: number;
  /** Records that passed every transform and went to the sink (in a dry run: would have gone). */
  transformed: number;
  /**
   * Records left out on purpose (a `filter` transform, a sink told to leave them out): final, not
   * rejected, not in the dead-letter output, not counted toward `maxRejects`.
   */
  skipped: number;
  /** Users created (`created` in the summary; under `idflow diff`: would be created). */
  written: number;
  present: number;
  /** Users that existed and were brought up to date (sync); by part in `RunReport.updatedByPart`. */
  updated: number;
  /** Users that existed and already matched the record (sync): nothing written. */
  unchanged: number;
  /** Records refused for good (by the source, a transform or the target): in the dead-letter output. */
  rejected: number;
  /**
   * Records the sink could not deliver (the target was unavailable past the retry budget). Not
   * final: they stay unacknowledged, and the next run sends them again. This run's count only.
   */
  undeliverable: number;
  /** Refused input that is not a record of its own (e.g. a password without a profile): in the dead-letter output. */
  auxiliaryRejected: number;
  /** Records skipped because the checkpoint says they were already acknowledged. */
  resumedSkipped: number;
}

/** Why a run ended: see `RunReport.status`. */
export type RunStatus = 'completed' | 'incomplete' | 'nothing-delivered' | 'interrupted' | 'max-rejects' | 'failed';

export interface RunReport {
  pipeline: string;
  file: string;
  /** The plugins the pipeline ran, by name (`metrics` is keyed by them). */
  stages: { source: string; transforms: string[]; sink: string };
  /**
   * `completed`: every record is final (delivered, present or refused) and some were delivered;
   * `incomplete`: the input was read to its end, but some records are undeliverable (run again);
   * `nothing-delivered`: every record is final, yet none was delivered from a non-empty input;
   * `interrupted`: Ctrl-C / SIGTERM; `max-rejects`: stopped by `maxRejects`; `failed`: a fatal error.
   */
  status: RunStatus;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  recordsPerSecond: number;
  counts: RunCounts;
  /** Rejections by stage and reason, e.g. `{"transform:hash-validator": {"bcrypt cost 4 ...": 2}}`. */
  rejectedByReason: { [stage: string]: { [reason: string]: number } };
  /** Skipped records by stage and reason, e.g. `{"transform:filter": {"not a database user": 120}}`. */
  skippedByReason: { [stage: string]: { [reason: string]: number } };
  /** Why records were undeliverable in this run (the sink's last answer), by reason. */
  undeliverableByReason: { [reason: string]: number };
  /**
   * Users written without a password, by cause (`social`, `passwordless`, `no-hash-in-export`,
   * `hash-refused`, …): the sum of every plugin's `written.without-password.<cause>` counters.
   */
  writtenWithoutPassword: { [cause: string]: number };
  /** Users updated (sync), by part changed (`password`, `state`, …); a user counts under each of its parts. */
  updatedByPart: { [part: string]: number };
  /** Users the target holds that the source no longer does (sync; see `Sink.finish`): listed, never deleted. */
  missing?: { count: number; deactivated: number; path?: string };
  /** `idflow diff`: the per-user changes file. */
  diffPath?: string;
  /** Plugin counters (`ctx.count`), by plugin name. */
  metrics: { [plugin: string]: { [metric: string]: number } };
  warnings: number;
  /** Warnings by plugin and kind (`ctx.warn(message, origin, kind)`), e.g. `{"field-mapper": {"phone dropped": 3}}`. */
  warningsByKind: { [plugin: string]: { [kind: string]: number } };
  /** Where this run's time went, in order (setup, the source preparing, reading and delivering, finishing). */
  timings: RunTiming[];
  /** Counts over this run's time, for throughput (bounded: see run-timeline.ts). */
  timeline: Timeline;
  /** A few users before and after the transforms, masked: no hash, no full e-mail. */
  sample: SampledUser[];
  dlqPath?: string;
  /** failures.csv: one line per refused user, without the record (beside the dead-letter file). */
  failuresPath?: string;
  /** warnings.csv: one line per warning, with the user it is about (beside the dead-letter file). */
  warningsPath?: string;
  reportPath?: string;
  /** report.html, beside report.json: the same report for people. */
  htmlReportPath?: string;
  checkpointPath?: string;
  /** Set when the report could not be written to `reportPath` (e.g. the disk is full): why. */
  reportError?: string;
  /** Where this run resumed from (the last record acknowledged by the interrupted run). */
  resumedFrom?: Origin;
  /** The checkpoint said the pipeline had already completed: nothing was read or written. */
  alreadyCompleted?: boolean;
  /** Set when status is neither `completed` nor `interrupted`: a stable code and the message shown. */
  error?: { code: string; message: string };
  /** Set by `idflow retry`: what was replayed, and the run it amends with the totals added up. */
  retry?: RetryReport;
  /** The process exit code this outcome maps to (see ExitCode). */
  exitCode: number;
}

/** The counts of a migration across a run and the retries that amend it. */
export type CombinedCounts = Pick<RunCounts, 'read' | 'written' | 'present' | 'skipped' | 'rejected' | 'undeliverable' | 'auxiliaryRejected'>;

/** A run's totals with a retry's added up: where the migration stands after the retry. */
export interface CombinedTotals {
  /**
   * `written`, `present`, `skipped`: the run's plus the retry's. `rejected`: the run's, less the
   * users the retry delivered, skipped or left undeliverable (those move to `undeliverable`).
   */
  counts: CombinedCounts;
  /**
   * The rejections still standing: the run's, less the replayed ones, plus the retry's own (a user
   * refused again counts under its new reason). Users the retry did not finish (interrupted, or
   * still in flight) stay rejected under `retry: not retried yet`.
   */
  rejectedByReason: { [stage: string]: { [reason: string]: number } };
  skippedByReason: { [stage: string]: { [reason: string]: number } };
  writtenWithoutPassword: { [cause: string]: number };
}

/** What `idflow retry` records in its report (see `RunReport.retry`). */
export interface RetryReport {
  /** The dead-letter file replayed. */
  from: string;
  /** `--reason` (a case-insensitive regular expression), when given. */
  reason?: string;
  /** Dead letters in the file, those `--reason` selected, and of these the ones replayed. */
  deadLetters: number;
  selected: number;
  replayable: number;
  /** Selected but not replayable (refused by the source: malformed input…), by `stage: reason`. */
  notReplayable: number;
  notReplayableByReason: { [reason: string]: number };
  /** The report of the run that wrote `from` (the run, or the retry it came from), when found beside it. */
  amends?: string;
  /** That report's totals (its own `retry.combined` when it is a retry's) with this retry's added up. */
  combined?: CombinedTotals;
}

/** One phase of a run and how long it took. */
export interface RunTiming {
  phase: 'setup' | 'source preparing' | 'reading and delivering' | 'finishing';
  ms: number;
}

/** Progress in users (see progress-estimate.ts). */
export interface ProgressUsers {
  /** Users whose fate is final: written, already present, skipped or refused (earlier runs included). */
  done: number;
  /** Estimated users in the input; undefined until the source says how big it is. */
  total?: number;
  /** True once the source was read to its end: `total` is then a count. */
  totalExact: boolean;
  /** Users done per second over the last half minute. */
  perSecond: number;
  /** Time left at that rate; undefined while unknown. */
  etaMs?: number;
}

/** What the runner emits while running; the CLI's progress bar and logs subscribe to it. */
export type RunEvent =
  | { type: 'start'; pipeline: string; resumedFrom?: Origin; totalBytes?: number }
  | { type: 'progress'; counts: RunCounts; users: ProgressUsers; bytesDone?: number; bytesTotal?: number; elapsedMs: number }
  | { type: 'warning'; plugin: string; message: string; origin?: Origin }
  | { type: 'log'; level: 'debug' | 'info'; plugin: string; message: string; fields?: { [key: string]: unknown } }
  | { type: 'reject'; stage: string; reason: string; origin: Origin }
  /** The target was unavailable for this record past the retry budget: not final, the next run sends it. */
  | { type: 'undeliverable'; reason: string; origin: Origin }
  | { type: 'checkpoint'; origin: Origin; seq: number }
  | { type: 'end'; report: RunReport };

/** A started run. */
export interface RunHandle {
  events: Observable<RunEvent>;
  /** Resolves with the report on every outcome but programming errors and config errors. */
  result: Promise<RunReport>;
}
