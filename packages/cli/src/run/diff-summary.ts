// The summary `idflow diff` prints: what a sync run would do to each user, counted (the per-user
// changes are in the diff file). Nothing was written to the target.
import { formatCount, type RunReport } from '@idflow/engine';
import { formatDuration, formatPartCounts, topReasonLines } from './run-summary.js';
import { escapeForTerminal } from './terminal-text.js';

export function formatDiffSummary(report: RunReport): string {
  const { counts } = report;
  const failing = counts.rejected + counts.undeliverable;
  const status = report.status === 'interrupted' ? 'interrupted: the comparison is partial' : report.exitCode === 0 ? 'compared' : 'compared in part';
  const lines = [
    `${report.pipeline}: diff ${status} [nothing was written to the target]`,
    row('users read', counts.read),
    row('would create', counts.written),
    row('would update', counts.updated, formatPartCounts(report.updatedByPart)),
    row('unchanged', counts.unchanged),
    ...(report.missing ? [row('missing', report.missing.count, report.missing.count > 0 ? 'in the target, not in the export: listed, never deleted' : undefined)] : []),
    row('would fail', failing),
    ...topReasonLines(report),
    `  ${'duration'.padEnd(22)}${formatDuration(report.durationMs)}`,
  ];
  if (report.diffPath) lines.push(`  ${'changes'.padEnd(22)}${escapeForTerminal(report.diffPath)}`);
  if (report.reportPath) lines.push(`  ${'report'.padEnd(22)}${escapeForTerminal(report.reportPath)}`);
  return lines.join('\n');
}

function row(label: string, value: number, note?: string): string {
  return `  ${label.padEnd(20)}${formatCount(value).padStart(10)}${note ? `  (${note})` : ''}`;
}
