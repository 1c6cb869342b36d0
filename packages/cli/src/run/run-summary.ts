// The human summary printed when a run ends (the JSON report holds the same and more).
import type { Origin, RunReport } from '@idflow/engine';
import { formatCount } from './format-count.js';

const STATUS: { [status in RunReport['status']]: string } = {
  completed: 'completed',
  interrupted: 'interrupted (checkpoint saved; run the same command again to resume)',
  'max-rejects': 'stopped: too many rejected records (maxRejects)',
  failed: 'failed',
};

/** How many distinct rejection reasons the summary lists before "… more". */
const TOP_REASONS = 5;

/**
 * Multi-line summary: outcome, counts (totals across resumed runs), top rejection reasons, rate,
 * and where the dead letters and report are. `resumedFrom` is where this run picked up, if it did.
 */
export function formatRunSummary(report: RunReport, resumedFrom?: Origin): string {
  const { counts } = report;
  const lines = [
    `${report.pipeline}: ${STATUS[report.status]}${report.dryRun ? ' [dry run: nothing was written to the target]' : ''}`,
    ...(resumedFrom ? [`  resumed after ${resumedFrom.file}:${resumedFrom.line} (counts include the earlier runs)`] : []),
    row('read', counts.read),
    row('transformed', counts.transformed),
    row(report.dryRun ? 'would be written' : 'written', counts.written),
    row('already present', counts.present),
    row('rejected', counts.rejected),
    ...topReasons(report),
    row('undeliverable', counts.undeliverable),
  ];
  if (counts.resumedSkipped > 0) lines.push(row('skipped (done before)', counts.resumedSkipped));
  if (report.warnings > 0) lines.push(row('warnings', report.warnings));
  lines.push(`  ${'duration'.padEnd(22)}${formatDuration(report.durationMs)} (${formatCount(report.recordsPerSecond)} records/s)`);
  if (report.dlqPath) lines.push(`  ${'dead letters'.padEnd(22)}${report.dlqPath}`);
  if (report.reportPath) lines.push(`  ${'report'.padEnd(22)}${report.reportPath}`);
  if (report.checkpointPath) lines.push(`  ${'checkpoint'.padEnd(22)}${report.checkpointPath}`);
  return lines.join('\n');
}

function row(label: string, value: number): string {
  return `  ${label.padEnd(16)}${formatCount(value).padStart(12)}`;
}

function topReasons(report: RunReport): string[] {
  const reasons = Object.entries(report.rejectedByReason)
    .flatMap(([stage, byReason]) => Object.entries(byReason).map(([reason, count]) => ({ stage, reason, count })))
    .sort((a, b) => b.count - a.count);
  const lines = reasons.slice(0, TOP_REASONS).map(({ stage, reason, count }) => `    ${formatCount(count).padStart(10)}  ${stage}: ${reason}`);
  if (reasons.length > TOP_REASONS) lines.push(`    … and ${reasons.length - TOP_REASONS} more reasons (see the report)`);
  return lines;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
