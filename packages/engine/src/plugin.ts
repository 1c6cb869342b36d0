// The plugin contracts. Every plugin — built-in or custom — is written against this file only;
// nothing here depends on the runner's internals.
//
// A record enters through a SourcePlugin, is changed by TransformPlugins in pipeline order, and
// leaves through a SinkPlugin. Whatever fails on the way goes to the dead-letter output with the
// record's origin, so nothing is ever dropped silently.

/** JSON Schema for a plugin's `with:` block. Every property should carry a `description`. */
export type JsonSchema = { [key: string]: unknown };

/**
 * What a `with:` key means to the runner, declared in the plugin's schema next to the key's type as
 * `"x-idflow": "<role>"`. The loader and the runner read it, so every plugin gets the same checks:
 * - `input-path`: a file the plugin reads. `validate` checks it exists; no output may be this file.
 * - `output-path` / `output-dir`: a file / a folder the plugin writes. Never an input (compared by
 *   real path), never `/` or a file right under it; the run locks its folder against a second run.
 * - `secret`: a credential (a key, a token, or an object holding them): never shown, never in the
 *   checkpoint or the report.
 * - `secret-file`: a file holding a credential: `validate` checks it is readable and warns when
 *   other users may read it.
 * - `target`: identifies where the sink writes (a URL, an org id); compared through `Sink.target()`.
 * - `tuning`: performance only (concurrency, batch sizes, rates, retry budgets, timeouts): it may
 *   change between a run and its resume. Every other key is a setting: a resumed run whose
 *   settings differ from the checkpoint's is refused.
 */
export type WithKeyRole = 'input-path' | 'output-path' | 'output-dir' | 'secret' | 'secret-file' | 'target' | 'tuning';

/** The schema keyword that carries a WithKeyRole. */
export const WITH_KEY_ROLE = 'x-idflow';

/** Where a record came from: used in error messages (`file:line`) and for checkpoints. */
export interface Origin {
  /** Input file as the user named it (or a plugin-defined name for non-file inputs). */
  file: string;
  /** 1-based line (or CSV row) number where the record starts. */
  line: number;
  /** Byte offset of the record's first byte in the (decompressed) input. */
  offset: number;
}

/** The envelope every record travels in. `seq` is assigned by the runner, in source order. */
export interface RecordEnvelope<T = unknown> {
  seq: number;
  origin: Origin;
  data: T;
}

/** A record refused at some stage: the reason is short and exact; `raw` is what was refused. */
export interface Rejection {
  reason: string;
  /** The original input (parsed record or raw text excerpt) to keep in the dead-letter output. */
  raw?: unknown;
  /** Extra structured detail for the dead-letter line (never secrets). */
  detail?: { [key: string]: unknown };
}

/** What a source yields: a parsed record, or a located rejection (a malformed line, an orphan…). */
export type SourceItem<T = unknown> =
  | { origin: Origin; data: T; reject?: undefined; auxiliary?: undefined }
  | {
      origin: Origin;
      reject: Rejection;
      data?: undefined;
      /**
       * True when the refused input is not a record of its own (e.g. a password hash without a
       * profile): it goes to the dead-letter output, but counts apart from the records read.
       */
      auxiliary?: boolean;
    };

/** What a transform answers for one record. */
export type TransformResult<T = unknown> = { ok: true; value: T } | { ok: false; rejection: Rejection };

/**
 * The parts of a user a sync (`onExisting: update`) compares and may change; `updated` outcomes
 * name the ones it changed, the report counts them by part.
 */
export const SYNC_PARTS = ['profile', 'email', 'emailVerified', 'phone', 'password', 'metadata', 'state', 'idpLinks'] as const;
export type SyncPart = (typeof SYNC_PARTS)[number];

/** What a sink answers for each record of a batch, in batch order. */
export type SinkOutcome =
  /** Created in the target (reported as `created`; under `idflow diff`: would be created). */
  | { status: 'written' }
  /** Already in the target (e.g. same id imported by an earlier run): counts as success. */
  | { status: 'present' }
  /** Existed and was brought up to date (sync): `changes` names the parts changed (would be, under `idflow diff`). */
  | { status: 'updated'; changes: SyncPart[] }
  /** Existed and already equal to the record (sync): nothing written. */
  | { status: 'unchanged' }
  | { status: 'rejected'; reason: string; detail?: { [key: string]: unknown } }
  /** The fate is unknown or the target was busy: the runner re-sends it with backoff. */
  | { status: 'retryable'; reason: string };

/** Services the runner hands to every plugin. */
export interface PluginContext {
  /** Directory that relative paths in the pipeline are resolved against. */
  baseDir: string;
  /** True under `idflow run --dry-run`: read and transform everything, write nothing. */
  dryRun: boolean;
  /** Aborted when the run stops (Ctrl-C, fatal error): long waits should listen to it. */
  signal: AbortSignal;
  /** Adds to a named counter in the report, grouped under the plugin's name. */
  count(metric: string, by?: number): void;
  /** A rare, noteworthy event (shown in logs, counted in the report under `warnings`). */
  warn(message: string, origin?: Origin): void;
  /** Debug/info logging that ends up in the structured log. Never pass secrets. */
  log(level: 'debug' | 'info', message: string, fields?: { [key: string]: unknown }): void;
  /**
   * A private folder (mode 0700) for this run's temporary files: removed when the run ends, and by
   * the next run should this one be killed. Absent outside a run (e.g. in a plugin's unit tests):
   * fall back to `os.tmpdir()`.
   */
  tempDir?: string;
  /**
   * Set under `idflow diff`: the sink reads its target and writes NOTHING to it; it answers the
   * outcomes a real run would have (`written` = would create, `updated` = would update…) and
   * writes one NDJSON line per user to this file (mode 0600), secrets masked.
   */
  diffPath?: string;
}

/** Options the runner passes when it starts reading. */
export interface ReadOptions {
  /** On resume: yield only records strictly after this origin, in the same order as before. */
  resumeAfter?: Origin;
}

/** An opened source. Returned by `SourcePlugin.create`. */
export interface Source<T = unknown> {
  /** Yields records in a stable order; read lazily, only as fast as the runner pulls. */
  read(options: ReadOptions): AsyncIterable<SourceItem<T>>;
  /** Identifies the inputs (paths, sizes, mtimes or content hashes): resume refuses if it changes. */
  fingerprint(): Promise<string>;
  /** Bytes consumed so far and in total, for the progress bar's ETA; undefined when unknown. */
  progress?(): { done: number; total: number } | undefined;
  /** Releases files, temp stores and handles; called on every path. */
  close(): Promise<void>;
}

/** An opened transform. Returned by `TransformPlugin.create`. */
export interface Transform<I = unknown, O = unknown> {
  /** Turns one record into a new value or a rejection. May be async; must not keep the record. */
  apply(record: RecordEnvelope<I>): TransformResult<O> | Promise<TransformResult<O>>;
  close?(): Promise<void>;
}

/** How the runner should batch records for a sink. */
export interface BatchPolicy {
  /** At most this many records per `write` call. */
  maxRecords: number;
  /** At most about this many bytes per call (measured with `sizeOf`, default JSON length). */
  maxBytes?: number;
  /** Send a partial batch after this many ms without it filling (default 1000). */
  lingerMs?: number;
  /** Size of one record in bytes, for `maxBytes`. */
  sizeOf?(data: unknown): number;
}

/** How long the runner keeps re-sending records a sink answered `retryable` for. */
export interface RetryPolicy {
  /** Tries per record, the first one included (default 6). */
  attempts?: number;
  /** Give up once this much time has passed since the first try (default 30 000 ms). */
  maxElapsedMs?: number;
  /** Wait before the first re-send; doubles each time, with jitter (default 250 ms). */
  initialDelayMs?: number;
}

/**
 * Where a sink writes, recorded in the checkpoint: a run whose target differs from the checkpoint's
 * is refused (a rehearsal's checkpoint must never make a production run skip users). Values are
 * identities only (URL, org id, instance id, output path), never secrets.
 */
export interface SinkTarget {
  /** The sink plugin's name, e.g. `zitadel-import`. */
  kind: string;
  /** Identity fields, e.g. `{ url: 'https://acme.zitadel.cloud', orgId: '2634…', instance: '2633…' }`. */
  fields: { [name: string]: string };
}

/** What the runner tells a sink's preflight about the run it is about to start. */
export interface PreflightPlan {
  /** The pipeline's transform stages as configured (e.g. a hash validator's `allow` list). */
  transforms: readonly { use: string; with?: { [key: string]: unknown } }[];
}

/** What the runner tells `Sink.finish`: the source was read to its end and every record is final. */
export interface SinkFinishInfo {
  /**
   * Records refused before they reached the sink (by the source or a transform), in this run and
   * the runs it resumed: the sink never saw their ids, so it must not act on their absence.
   */
  refusedBeforeSink: number;
  /** The folder the report is written to: where a sink puts files such as `missing.ndjson`. */
  outputDir: string;
}

/** What `Sink.finish` did, for the report. */
export interface SinkFinishResult {
  /** Users in the target that the source no longer holds (listed, never deleted). */
  missing?: { count: number; deactivated: number; path?: string };
}

/** An opened sink. Returned by `SinkPlugin.create`. */
export interface Sink<T = unknown> {
  /** Batching the runner applies before calling `write`. */
  readonly batching: BatchPolicy;
  /** Overrides the runner's default retry budget for `retryable` outcomes. */
  readonly retry?: RetryPolicy;
  /**
   * Checks the target before the source is read: reachable, credentials valid and allowed, org (or
   * output) usable. Throw a FatalError with a precise message to stop the run in seconds (exit 1).
   * Not called in a dry run.
   */
  preflight?(plan: PreflightPlan): Promise<void>;
  /** Where this sink writes (see SinkTarget); called after `preflight`, compared with the checkpoint's. */
  target?(): SinkTarget | Promise<SinkTarget>;
  /** Called once before the first write; `state` is what `checkpointState` saved in the run being resumed. */
  open?(state: unknown | undefined): Promise<void>;
  /**
   * Delivers one batch; answers one outcome per record, in order. Throw only for fatal errors.
   * The runner reuses the `batch` array once the returned promise settles: copy what you keep.
   */
  write(batch: RecordEnvelope<T>[]): Promise<SinkOutcome[]>;
  /**
   * Makes everything acknowledged so far durable and returns state to restore on resume (file sinks).
   * The runner calls it with no `write` running and starts none until it resolves.
   */
  checkpointState?(): Promise<unknown>;
  /**
   * Called once after the last `write`, only when the source was read to its end (across resumed
   * runs) and every record is final — never after an interrupted or failed run. A sync sink lists
   * (or deactivates) the target's users the source no longer holds. Also called under `idflow diff`.
   */
  finish?(info: SinkFinishInfo): Promise<SinkFinishResult | undefined>;
  /** Flushes and releases resources; called on every path (success, error, interrupt). */
  close(): Promise<void>;
}

/** A problem found by a plugin's `validate` hook: `path` is dotted/indexed below `with:` (e.g. `mapping.userName`). */
export interface ConfigCheckProblem {
  path: (string | number)[];
  message: string;
}

interface PluginBase<C> {
  /** The name used in `use:` in a pipeline. */
  name: string;
  /** One-line description shown by `idflow plugins`. */
  description: string;
  /** JSON Schema for the `with:` block; validated before `create` is called. */
  schema: JsonSchema;
  /**
   * Checks what a schema cannot (expressions, cross-field rules) on a schema-valid `with:` block.
   * Runs at load time, so `idflow validate` reports it located; paths are relative to `with:`.
   */
  validate?(config: C): ConfigCheckProblem[];
  /** Phantom field carrying the config type. */
  readonly __config?: C;
}

/** Reads records from somewhere. */
export interface SourcePlugin<C = unknown, T = unknown> extends PluginBase<C> {
  kind: 'source';
  create(config: C, ctx: PluginContext): Source<T> | Promise<Source<T>>;
}

/** Changes or rejects records one by one. */
export interface TransformPlugin<C = unknown, I = unknown, O = unknown> extends PluginBase<C> {
  kind: 'transform';
  create(config: C, ctx: PluginContext): Transform<I, O> | Promise<Transform<I, O>>;
}

/** Delivers batches of records somewhere and says what happened to each. */
export interface SinkPlugin<C = unknown, T = unknown> extends PluginBase<C> {
  kind: 'sink';
  /** The sink honours `PluginContext.diffPath` (reads its target, writes nothing): `idflow diff` refuses other sinks. */
  previewsChanges?: boolean;
  create(config: C, ctx: PluginContext): Sink<T> | Promise<Sink<T>>;
}

export type Plugin = SourcePlugin<never, unknown> | TransformPlugin<never, unknown, unknown> | SinkPlugin<never, unknown>;
export type PluginKind = Plugin['kind'];

/** Helper for plugin authors: keeps the literal types while checking the shape. */
export function definePlugin<P extends SourcePlugin<never, unknown> | TransformPlugin<never, unknown, unknown> | SinkPlugin<never, unknown>>(
  plugin: P,
): P {
  return plugin;
}
