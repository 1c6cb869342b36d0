// The pipeline as data (what a YAML file becomes after loading), and the runner's public API:
// what the CLI passes in and what it gets back (events while running, a report at the end).

import type { Observable } from 'rxjs';
import type { ConfigProblem } from './errors.js';
import type { Origin } from './plugin.js';

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
  /** Dead-letter output (NDJSON); the JSON report is written next to it. */
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
}

/** Counts the CLI shows and the JSON report holds (totals across a run and the runs it resumed). */
export interface RunCounts {
  /** Records (users) the source yielded, malformed ones included. */
  read: number;
  /** Records that passed every transform and went to the sink (in a dry run: would have gone). */
  transformed: number;
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
  dlqPath?: string;
  reportPath?: string;
  checkpointPath?: string;
  /** Set when the report could not be written to `reportPath` (e.g. the disk is full): why. */
  reportError?: string;
  /** Where this run resumed from (the last record acknowledged by the interrupted run). */
  resumedFrom?: Origin;
  /** The checkpoint said the pipeline had already completed: nothing was read or written. */
  alreadyCompleted?: boolean;
  /** Set when status is neither `completed` nor `interrupted`: a stable code and the message shown. */
  error?: { code: string; message: string };
  /** The process exit code this outcome maps to (see ExitCode). */
  exitCode: number;
}

/** What the runner emits while running; the CLI's progress bar and logs subscribe to it. */
export type RunEvent =
  | { type: 'start'; pipeline: string; resumedFrom?: Origin; totalBytes?: number }
  | { type: 'progress'; counts: RunCounts; bytesDone?: number; bytesTotal?: number; elapsedMs: number }
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
