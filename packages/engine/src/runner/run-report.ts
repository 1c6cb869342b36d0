// The report a run ends with: returned to the caller and written as JSON next to the dead-letter output.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode } from '../errors.js';
import type { RunReport } from '../pipeline.js';
import type { RunTally } from './run-tally.js';
import type { StopControl } from './stop-control.js';

export interface ReportInputs {
  pipeline: string;
  file: string;
  dryRun: boolean;
  startedAt: Date;
  tally: RunTally;
  stop: StopControl;
  /** Set when the source was exhausted and every record acknowledged. */
  completed: boolean;
  paths: Pick<RunReport, 'dlqPath' | 'reportPath' | 'checkpointPath'>;
  extra?: Pick<RunReport, 'resumedFrom' | 'alreadyCompleted'>;
}

export function buildReport(inputs: ReportInputs): RunReport {
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - inputs.startedAt.getTime();
  const counts = inputs.tally.totals();
  const status: RunReport['status'] = inputs.stop.reason ?? (inputs.completed ? 'completed' : 'interrupted');
  const failure = inputs.stop.failure;
  const error =
    status === 'failed' || status === 'max-rejects'
      ? { code: failure?.code ?? (status === 'max-rejects' ? 'MAX_REJECTS' : 'FATAL'), message: inputs.stop.stopMessage ?? status }
      : undefined;
  return {
    pipeline: inputs.pipeline,
    file: inputs.file,
    status,
    dryRun: inputs.dryRun,
    startedAt: inputs.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs,
    recordsPerSecond: durationMs > 0 ? Math.round((inputs.tally.live.read / durationMs) * 1000) : 0,
    counts,
    rejectedByReason: inputs.tally.rejectedByReason,
    metrics: inputs.tally.metrics,
    warnings: inputs.tally.warnings,
    ...inputs.paths,
    ...inputs.extra,
    ...(error ? { error } : {}),
    exitCode: exitCodeOf(status, counts.undeliverable),
  };
}

function exitCodeOf(status: RunReport['status'], undeliverable: number): number {
  switch (status) {
    case 'completed':
      return undeliverable > 0 ? ExitCode.incomplete : ExitCode.ok;
    case 'interrupted':
      return ExitCode.interrupted;
    default:
      return ExitCode.incomplete;
  }
}

export async function writeReport(report: RunReport): Promise<void> {
  if (!report.reportPath) return;
  await mkdir(dirname(report.reportPath), { recursive: true });
  await writeFile(report.reportPath, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
}
