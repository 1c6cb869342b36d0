// The pipeline as data (what a YAML file becomes after loading), and the runner's public API:
// what the CLI passes in and what it gets back (events while running, a report at the end).

import type { Observable } from 'rxjs';
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
}

/** A loaded pipeline and where it came from. */
export interface LoadedPipeline {
  config: PipelineConfig;
  /** The pipeline file as the user named it. */
  file: string;
  /** Directory relative paths are resolved against (the pipeline file's directory). */
  baseDir: string;
}

export interface RunOptions {
  /** Read and transform everything, write nothing to the target (the report is still written). */
  dryRun?: boolean;
  /** Ignore and replace an existing checkpoint. */
  fresh?: boolean;
  /** Aborting it stops reading, drains what is in flight, saves the checkpoint, then resolves. */
  signal?: AbortSignal;
  /** How often the checkpoint is saved while running (default 1000 ms; tests use less). */
  checkpointIntervalMs?: number;
}

/** Counts the CLI shows and the JSON report holds. */
export interface RunCounts {
  read: number;
  transformed: number;
  written: number;
  present: number;
  rejected: number;
  /** Records the sink could not deliver (retry budget spent): in the dead-letter output too. */
  undeliverable: number;
  /** Records skipped because the checkpoint says they were already acknowledged. */
  resumedSkipped: number;
}

export interface RunReport {
  pipeline: string;
  file: string;
  status: 'completed' | 'interrupted' | 'max-rejects' | 'failed';
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  recordsPerSecond: number;
  counts: RunCounts;
  /** Rejections and undeliverable records by stage and reason, e.g. `{"transform:hash-validator": {"bcrypt cost 4 ...": 2}}`. */
  rejectedByReason: { [stage: string]: { [reason: string]: number } };
  /** Plugin counters (`ctx.count`), by plugin name. */
  metrics: { [plugin: string]: { [metric: string]: number } };
  warnings: number;
  dlqPath?: string;
  reportPath?: string;
  checkpointPath?: string;
  /** Where this run resumed from (the last record acknowledged by the interrupted run). */
  resumedFrom?: Origin;
  /** The checkpoint said the pipeline had already completed: nothing was read or written. */
  alreadyCompleted?: boolean;
  /** Set when status is `failed` or `max-rejects`. */
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
  | { type: 'checkpoint'; origin: Origin; seq: number }
  | { type: 'end'; report: RunReport };

/** A started run. */
export interface RunHandle {
  events: Observable<RunEvent>;
  /** Resolves with the report on every outcome but programming errors and config errors. */
  result: Promise<RunReport>;
}
