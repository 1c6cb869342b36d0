// The report a run ends with: returned to the caller and written as JSON next to the dead-letter
// output, atomically (a full disk leaves the previous report, never an empty one). Its status and
// exit code never claim more than happened: records the target never took make a run
// `incomplete`, and a run that delivered nothing from a non-empty input is `nothing-delivered`.

import { ExitCode } from '../errors.js';
import { formatCount } from '../format-count.js';
import type { RunCounts, RunReport, RunStatus } from '../pipeline.js';
import { writeFileAtomically } from './atomic-file.js';
import { OTHER_REASONS, type RunTally } from './run-tally.js';
import type { StopControl } from './stop-control.js';

/** Plugins count users written without a password as `written.without-password.<cause>`. */
export const WITHOUT_PASSWORD_METRIC = 'written.without-password.';

export interface ReportInputs {
  pipeline: string;
  file: string;
  dryRun: boolean;
  startedAt: Date;
  tally: RunTally;
  stop: StopControl;
  /** The source was read to its end and every batch answered, with no stop requested. */
  finished: boolean;
  paths: Pick<RunReport, 'dlqPath' | 'reportPath' | 'checkpointPath'>;
  extra?: Pick<RunReport, 'resumedFrom' | 'alreadyCompleted' | 'missing' | 'diffPath'>;
}

export function buildReport(inputs: ReportInputs): RunReport {
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - inputs.startedAt.getTime();
  const { tally } = inputs;
  const counts = tally.totals();
  const status = statusOf(inputs, counts);
  return {
    pipeline: inputs.pipeline,
    file: inputs.file,
    status,
    dryRun: inputs.dryRun,
    startedAt: inputs.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs,
    recordsPerSecond: durationMs > 0 ? Math.round((tally.live.read / durationMs) * 1000) : 0,
    counts,
    rejectedByReason: tally.rejectedByReason,
    undeliverableByReason: tally.undeliverableByReason,
    writtenWithoutPassword: withoutPasswordByCause(tally.metrics),
    updatedByPart: { ...tally.updatedByPart },
    metrics: tally.metrics,
    warnings: tally.warnings,
    ...inputs.paths,
    ...inputs.extra,
    ...errorOf(status, inputs, counts),
    exitCode: status === 'completed' ? ExitCode.ok : status === 'interrupted' ? ExitCode.interrupted : ExitCode.incomplete,
  };
}

function statusOf(inputs: ReportInputs, counts: RunCounts): RunStatus {
  if (inputs.stop.reason) return inputs.stop.reason;
  if (!inputs.finished) return 'interrupted';
  if (counts.undeliverable > 0) return 'incomplete';
  if (delivered(counts, inputs.dryRun) === 0 && counts.read + counts.auxiliaryRejected > 0) return 'nothing-delivered';
  return 'completed';
}

/** Users written or already present; in a dry run, those that would have been sent. */
function delivered(counts: RunCounts, dryRun: boolean): number {
  return dryRun ? counts.transformed : counts.written + counts.present + counts.updated + counts.unchanged;
}

function errorOf(status: RunStatus, inputs: ReportInputs, counts: RunCounts): Pick<RunReport, 'error'> {
  const { stop, tally } = inputs;
  switch (status) {
    case 'failed':
      return { error: { code: stop.failure?.code ?? 'FATAL', message: stop.stopMessage ?? status } };
    case 'max-rejects':
      return { error: { code: 'MAX_REJECTS', message: stop.stopMessage ?? status } };
    case 'incomplete': {
      const reason = topReason(tally.undeliverableByReason);
      return {
        error: {
          code: 'UNDELIVERABLE',
          message: `${formatCount(counts.undeliverable)} ${plural(counts.undeliverable, 'user')} could not be delivered${reason ? ` (last answer: ${reason})` : ''}; they are not final: run the same command again to deliver them`,
        },
      };
    }
    case 'nothing-delivered': {
      const reason = topReason(sumByReason(Object.values(tally.rejectedByReason)));
      const why = reason ? `; most common reason: ${reason}` : '';
      const message =
        counts.read === 0
          ? `the input holds no users: ${formatCount(counts.auxiliaryRejected)} input ${plural(counts.auxiliaryRejected, 'record')} refused${why}`
          : `no user ${inputs.dryRun ? 'would be' : 'was'} delivered: all ${formatCount(counts.read)} ${plural(counts.read, 'user')} read ${counts.read === 1 ? 'was' : 'were'} rejected${why}; see the dead-letter output`;
      return { error: { code: 'NOTHING_DELIVERED', message } };
    }
    default:
      return {};
  }
}

/** `written.without-password.<cause>` summed over every plugin that counts it. */
function withoutPasswordByCause(metrics: RunTally['metrics']): { [cause: string]: number } {
  const byCause: { [cause: string]: number } = {};
  for (const counters of Object.values(metrics)) {
    for (const [metric, value] of Object.entries(counters)) {
      if (!metric.startsWith(WITHOUT_PASSWORD_METRIC)) continue;
      const cause = metric.slice(WITHOUT_PASSWORD_METRIC.length);
      byCause[cause] = (byCause[cause] ?? 0) + value;
    }
  }
  return byCause;
}

function sumByReason(maps: { [reason: string]: number }[]): { [reason: string]: number } {
  const sum: { [reason: string]: number } = {};
  for (const map of maps) for (const [reason, n] of Object.entries(map)) sum[reason] = (sum[reason] ?? 0) + n;
  return sum;
}

/** The most frequent reason, the bucket of reasons beyond the kept ones aside. */
function topReason(byReason: { [reason: string]: number }): string | undefined {
  let top: [string, number] | undefined;
  for (const entry of Object.entries(byReason)) if (entry[0] !== OTHER_REASONS && (!top || entry[1] > top[1])) top = entry;
  return top?.[0];
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

/** Writes the report; a failure (a full disk…) is returned, not thrown: the run's outcome stands. */
export async function writeReport(report: RunReport): Promise<string | undefined> {
  if (!report.reportPath) return undefined;
  try {
    await writeFileAtomically(report.reportPath, `${JSON.stringify(report, null, 2)}\n`, 0o600);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `the report could not be written to ${report.reportPath}: ${code === 'ENOSPC' ? 'no space left on device' : (error as Error).message}`;
  }
}
