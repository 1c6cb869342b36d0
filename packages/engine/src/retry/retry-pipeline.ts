// `idflow retry`: runs a pipeline again over the records of its dead-letter file only — after the
// operator fixed what refused them (enabled a verifier, changed the mapping). The replayed records
// enter at the first transform, as the source's records they were, and go through the same
// transforms and sink as in the run. The retry is a run of its own, in a folder of its own (by
// default `<dead-letter file>.retry/`, one per `--reason`): its checkpoint (resumable, bound to the
// dead-letter file, the target and the settings like any run's), its dead-letter file (what fails
// again), its report (which names the report it amends and the totals added up), and the sink's
// file outputs, redirected there so the run's own outputs stay as they were.
//
// Before it starts: the dead-letter file is read once (retry-plan.ts), the folder it lies in is
// locked (the run that writes it must not run meanwhile), and the sink must write where the run
// that refused the records wrote (its checkpoint's target).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pipelinePaths, realPathOf } from '../config/pipeline-paths.js';
import { valuesWithRoles } from '../config/with-key-roles.js';
import { type ConfigProblem, ConfigError, FatalError } from '../errors.js';
import type { LoadedPipeline, PipelineConfig, RetryReport, RunHandle, RunOptions, RunReport, StageConfig } from '../pipeline.js';
import type { PluginKind, SinkTarget } from '../plugin.js';
import type { PluginRegistry } from '../registry.js';
import { OutputLock } from '../runner/output-lock.js';
import { runPipeline } from '../runner/run-pipeline.js';
import { combineTotals, totalsOf } from './combined-totals.js';
import { DEAD_LETTER_SOURCE, deadLetterSourcePlugin, selectionOf } from './dead-letter-source.js';
import { planRetry, type RetryPlan } from './retry-plan.js';

export interface RetryOptions extends Pick<RunOptions, 'dryRun' | 'fresh' | 'signal' | 'checkpointIntervalMs'> {
  /** The dead-letter file to replay (relative to the working directory). */
  from: string;
  /** Only dead letters whose reason (or `stage: reason`) matches: a regular expression, case-insensitive. */
  reason?: string;
  /** The retry's folder (default: beside `from`, named after it and `reason`). */
  out?: string;
}

export interface StartedRetry {
  handle: RunHandle;
  /** Where the retry writes its dead-letter file, report, checkpoint and file outputs. */
  dir: string;
  plan: RetryPlan;
  /** The report this retry amends, when one was found beside the dead-letter file. */
  amends?: string;
  /** What the operator should know before it starts (dead letters that cannot be replayed, a run not finished…). */
  notes: string[];
}

/** Checks, plans and starts a retry; throws a ConfigError (exit 2) or FatalError (exit 1) when it cannot. */
export async function startRetry(pipeline: LoadedPipeline, registry: PluginRegistry, options: RetryOptions): Promise<StartedRetry> {
  const from = resolve(options.from);
  if (!existsSync(from)) throw new ConfigError([{ path: '--from', message: `no such file: ${from}` }]);
  const selection = checkedSelection(options.reason);
  const plan = await planRetry(from, selection);
  const notes = planNotes(plan, from, options.reason);
  const dir = resolve(options.out ?? defaultRetryDir(from, options.reason));
  const amended = reportBeside(from);
  if (amended?.note) notes.push(amended.note);
  const original = amended?.report.checkpointPath ? checkpointOf(amended.report.checkpointPath) : undefined;
  if (original && !original.completed) {
    notes.push(`the run that wrote ${from} has not completed (checkpoint ${amended?.report.checkpointPath}): users it has not read yet are in no dead-letter file; finish it with "idflow run" too`);
  }

  if (!registry.has(DEAD_LETTER_SOURCE, 'source')) registry.register(deadLetterSourcePlugin, 'idflow retry');
  const redirected = new Map<string, string>();
  const retryPipeline = retryPipelineOf(pipeline, registry, from, options.reason, dir, redirected);
  checkRetryPaths(retryPipeline, registry, from, [amended?.path, amended?.report.checkpointPath]);

  // The run that writes the dead-letter file must not run (and append to it) while it is replayed.
  const lock = await OutputLock.acquire([dirname(realPathOf(from))], `${pipeline.config.name} (retry)`, (message) => notes.push(message));
  const amends = amended?.path;
  const amendReport = (report: RunReport): RunReport => ({
    ...report,
    retry: retryReport(from, options.reason, plan, amends, amended ? combineTotals(totalsOf(amended.report), report, plan) : undefined),
  });
  let handle: RunHandle;
  try {
    handle = runPipeline(retryPipeline, registry, {
      dryRun: options.dryRun,
      fresh: options.fresh,
      signal: options.signal,
      checkpointIntervalMs: options.checkpointIntervalMs,
      sameTargetAs: original?.target ? { target: redirectedTarget(original.target, redirected), what: `the run that wrote ${from}` } : undefined,
      amendReport,
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  const result = handle.result
    // A retry that had completed before only says so: its report on disk holds what it did.
    .then((report) => (report.alreadyCompleted ? { ...report, retry: reportIn(dir)?.retry ?? amendReport(report).retry } : report))
    .finally(() => lock.release());
  return { handle: { events: handle.events, result }, dir, plan, amends, notes };
}

function checkedSelection(reason: string | undefined): ReturnType<typeof selectionOf> {
  try {
    return selectionOf({ reason });
  } catch (error) {
    throw new ConfigError([{ path: '--reason', message: `not a regular expression: ${(error as Error).message}` }]);
  }
}

/** What the plan tells the operator; a `--reason` that selects nothing, or nothing replayable, stops here. */
function planNotes(plan: RetryPlan, from: string, reason: string | undefined): string[] {
  if (plan.deadLetters > 0 && plan.selected === 0) {
    throw new ConfigError([
      {
        path: '--reason',
        message: `"${reason}" selects none of the ${plan.deadLetters} dead letters of ${from}; the most common are: ${plan.topReasons.join('; ')}`,
      },
    ]);
  }
  const notes: string[] = [];
  if (plan.deadLetters === 0) notes.push(`${from} holds no dead letter: nothing to retry`);
  if (plan.notReplayable > 0) {
    const why = Object.entries(plan.notReplayableByReason)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([what, n]) => `${what} (${n})`)
      .join('; ');
    const message = `${plan.notReplayable} of the ${plan.selected} selected dead letters cannot be replayed: they were refused by the source itself (${why}); fix the input and run the pipeline again — they stay listed in ${from}`;
    if (plan.replayable === 0) throw new FatalError(`nothing to retry: ${message}`, 'NOTHING_REPLAYABLE');
    notes.push(message);
  }
  return notes;
}

/** `out/dead-letter.ndjson` → `out/dead-letter.retry/`, or `out/dead-letter.retry-<reason>-<hash>/` with `--reason`. */
export function defaultRetryDir(from: string, reason: string | undefined): string {
  const stem = basename(from, extname(from));
  if (reason === undefined) return join(dirname(from), `${stem}.retry`);
  const slug = reason.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32) || 'reason';
  const hash = createHash('sha256').update(reason).digest('hex').slice(0, 6);
  return join(dirname(from), `${stem}.retry-${slug}-${hash}`);
}

/** The pipeline with the dead letters as its source and every output in `dir`. */
function retryPipelineOf(
  pipeline: LoadedPipeline,
  registry: PluginRegistry,
  from: string,
  reason: string | undefined,
  dir: string,
  redirected: Map<string, string>,
): LoadedPipeline {
  const redirect = (stage: StageConfig, kind: PluginKind) => redirectOutputs(stage, kind, registry, dir, (path, to) => redirected.set(resolve(pipeline.baseDir, path), to));
  const { maxRejects: _judgedOnTheRun, ...config } = structuredClone(pipeline.config);
  // No `maxRejects`: every record a retry reads was refused once, so its share of refusals says
  // nothing about a setting being wrong; what fails again is in the retry's dead-letter file, and a
  // retry that delivers nothing ends `nothing-delivered` (exit 1) all the same.
  const retry: PipelineConfig = {
    ...config,
    source: { use: DEAD_LETTER_SOURCE, with: { path: from, ...(reason === undefined ? {} : { reason }) } },
    transforms: config.transforms?.map((stage) => redirect(stage, 'transform')),
    sink: redirect(config.sink, 'sink'),
    dlq: { path: join(dir, 'dead-letter.ndjson') },
    checkpoint: { path: join(dir, 'checkpoint.json') },
  };
  return { ...pipeline, config: retry };
}

/** A stage whose output files and folders (`x-idflow: output-path | output-dir`) are moved into `dir`; `moved` hears each. */
function redirectOutputs(stage: StageConfig, kind: PluginKind, registry: PluginRegistry, dir: string, moved: (from: string, to: string) => void): StageConfig {
  const config = stage.with;
  if (!config) return stage;
  for (const { path, role, value } of valuesWithRoles(registry.get(stage.use, kind).schema, config)) {
    if ((role !== 'output-path' && role !== 'output-dir') || typeof value !== 'string' || value === '') continue;
    let parent: { [key: string]: unknown } = config;
    for (const segment of path.slice(0, -1)) parent = parent[segment] as { [key: string]: unknown };
    const to = join(dir, basename(value));
    parent[path[path.length - 1]] = to;
    moved(value, to);
  }
  return stage;
}

/**
 * The run's target as the retry's sink should name it: a file sink's target is its output, which
 * the retry moved into its folder on purpose — that is no other target.
 */
function redirectedTarget(target: SinkTarget, redirected: ReadonlyMap<string, string>): SinkTarget {
  const fields = Object.fromEntries(Object.entries(target.fields).map(([name, value]) => [name, redirected.get(value) ?? value]));
  return { kind: target.kind, fields };
}

/** No output of the retry may be the dead-letter file it reads, nor the run's report or checkpoint (by real path). */
function checkRetryPaths(pipeline: LoadedPipeline, registry: PluginRegistry, from: string, runFiles: (string | undefined)[]): void {
  const findPlugin = (name: string, kind: PluginKind) => registry.list().find((p) => p.name === name && p.kind === kind);
  const kept = new Map<string, string>([[realPathOf(from), 'the dead-letter file it replays']]);
  for (const file of runFiles) if (file) kept.set(realPathOf(file), `the run's ${basename(file)}`);
  const problems: ConfigProblem[] = [];
  for (const output of pipelinePaths(pipeline.config, pipeline.baseDir, findPlugin)) {
    if (output.kind !== 'output-file' && output.kind !== 'output-dir') continue;
    const what = kept.get(realPathOf(output.absolute));
    if (what) problems.push({ path: '--out', message: `the retry would write ${output.absolute}, which is ${what}: give the retry a folder of its own` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The report next to the dead-letter file, when it is the report of the run that wrote it. */
function reportBeside(from: string): { path: string; report: RunReport; note?: string } | undefined {
  const path = join(dirname(from), 'report.json');
  const report = reportAt(path);
  if (!report) return undefined;
  if (!report.dlqPath || realPathOf(report.dlqPath) !== realPathOf(from)) return undefined;
  return { path, report, ...(report.dryRun ? { note: `${path} is the report of a dry run: the totals add up with what it would have done` } : {}) };
}

function reportIn(dir: string): RunReport | undefined {
  return reportAt(join(dir, 'report.json'));
}

function reportAt(path: string): RunReport | undefined {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
    return typeof report.counts === 'object' && report.counts !== null ? report : undefined;
  } catch {
    return undefined;
  }
}

/** The original run's checkpoint: its target, and whether it completed. */
function checkpointOf(path: string): { target?: SinkTarget; completed: boolean } | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { target?: SinkTarget; completed?: boolean };
    return { target: data.target, completed: data.completed === true };
  } catch {
    return undefined;
  }
}

function retryReport(from: string, reason: string | undefined, plan: RetryPlan, amends: string | undefined, combined: RetryReport['combined']): RetryReport {
  return {
    from,
    ...(reason === undefined ? {} : { reason }),
    deadLetters: plan.deadLetters,
    selected: plan.selected,
    replayable: plan.replayable,
    notReplayable: plan.notReplayable,
    notReplayableByReason: plan.notReplayableByReason,
    ...(amends ? { amends } : {}),
    ...(combined ? { combined } : {}),
  };
}
