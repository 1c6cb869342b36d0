// The human summary printed when a run ends (the JSON report holds the same and more). It counts
// users — not input lines — keeps users the target never took (undeliverable: sent again by the
// next run) apart from users refused for good, and gives users written without a password a line
// of their own, by cause. Text from the input is escaped before it reaches the terminal.
import { formatCount, type Origin, type RunReport } from '@idflow/engine';
import { escapeForTerminal } from './terminal-text.js';

const STATUS: { [status in RunReport['status']]: string } = {
  completed: 'completed',
  incomplete: 'incomplete: some users could not be delivered (run the same command again to deliver them)',
  'nothing-delivered': 'failed: no user was delivered',
  interrupted: 'interrupted (checkpoint saved; run the same command again to resume)',
  'max-rejects': 'stopped: too many rejected records (maxRejects)',
  failed: 'failed',
};

/** How many distinct reasons the summary lists before "… more". */
const TOP_REASONS = 5;

/**
 * Multi-line summary: outcome, counts (totals across resumed runs), top reasons, rate, and where
 * the dead letters and report are. `resumedFrom` is where this run picked up, if it did.
 */
export function formatRunSummary(report: RunReport, resumedFrom?: Origin): string {
  const { counts } = report;
  const lines = [
    `${report.pipeline}: ${STATUS[report.status]}${report.dryRun ? ' [dry run: nothing was written to the target]' : ''}`,
    ...(resumedFrom ? [`  resumed after ${escapeForTerminal(`${resumedFrom.file}:${resumedFrom.line}`)} (counts include the earlier runs)`] : []),
    row('users read', counts.read),
    row('transformed', counts.transformed),
    report.dryRun ? row('would be written', counts.transformed) : row('written', counts.written, synced(report) ? 'created' : undefined),
    ...withoutPassword(report),
    row('already present', counts.present),
    ...(synced(report) ? [row('updated', counts.updated, formatPartCounts(report.updatedByPart)), row('unchanged', counts.unchanged)] : []),
    ...(report.missing ? [row('missing', report.missing.count, missingNote(report.missing))] : []),
    row('rejected', counts.rejected),
    ...(counts.auxiliaryRejected > 0 ? [row('other input refused', counts.auxiliaryRejected, 'lines that are not users, e.g. passwords without a profile')] : []),
    ...topReasonLines(report),
  ];
  if (counts.resumedSkipped > 0) lines.push(row('skipped (done before)', counts.resumedSkipped));
  if (report.warnings > 0) lines.push(row('warnings', report.warnings));
  lines.push(`  ${'duration'.padEnd(22)}${formatDuration(report.durationMs)} (${formatCount(report.recordsPerSecond)} records/s)`);
  if (report.dlqPath) lines.push(`  ${'dead letters'.padEnd(22)}${escapeForTerminal(report.dlqPath)}`);
  if (report.reportPath) lines.push(`  ${'report'.padEnd(22)}${escapeForTerminal(report.reportPath)}`);
  if (report.checkpointPath) lines.push(`  ${'checkpoint'.padEnd(22)}${escapeForTerminal(report.checkpointPath)}`);
  return lines.join('\n');
}

/** A sync ran (`onExisting: update`): created / updated / unchanged get rows of their own. */
function synced(report: RunReport): boolean {
  return (report.counts.updated ?? 0) + (report.counts.unchanged ?? 0) > 0 || report.missing !== undefined;
}

function missingNote(missing: NonNullable<RunReport['missing']>): string | undefined {
  if (missing.count === 0) return undefined;
  const done = missing.deactivated > 0 ? `${formatCount(missing.deactivated)} deactivated` : 'listed, never deleted';
  return `${done}${missing.path ? `: ${escapeForTerminal(missing.path)}` : ''}`;
}

/** `password 3, state 2`, most first; undefined when none. */
export function formatPartCounts(byPart: { [part: string]: number } | undefined): string | undefined {
  const parts = Object.entries(byPart ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return parts.length ? parts.map(([part, n]) => `${part} ${formatCount(n)}`).join(', ') : undefined;
}

/** Rejections by stage and reason, then undeliverable users with theirs. */
export function topReasonLines(report: RunReport): string[] {
  const { counts } = report;
  return [
    ...topReasons(Object.entries(report.rejectedByReason).flatMap(([stage, byReason]) => reasonsOf(byReason, `${stage}: `))),
    row('undeliverable', counts.undeliverable, counts.undeliverable > 0 ? 'not final: the next run sends them' : undefined),
    ...topReasons(reasonsOf(report.undeliverableByReason ?? {}, '')),
  ];
}

function row(label: string, value: number, note?: string): string {
  return `  ${label.padEnd(20)}${formatCount(value).padStart(10)}${note ? `  (${note})` : ''}`;
}

/** `    without a password     120  (social 80, no-hash-in-export 40)`, under `written`. */
function withoutPassword(report: RunReport): string[] {
  const causes = Object.entries(report.writtenWithoutPassword ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (causes.length === 0) return [];
  const total = causes.reduce((sum, [, n]) => sum + n, 0);
  const byCause = causes.map(([cause, n]) => `${escapeForTerminal(cause)} ${formatCount(n)}`).join(', ');
  return [`    ${'without a password'.padEnd(18)}${formatCount(total).padStart(10)}  (${byCause})`];
}

interface Reason {
  label: string;
  count: number;
}

function reasonsOf(byReason: { [reason: string]: number }, prefix: string): Reason[] {
  return Object.entries(byReason).map(([reason, count]) => ({ label: `${prefix}${reason}`, count }));
}

function topReasons(reasons: Reason[]): string[] {
  const sorted = reasons.sort((a, b) => b.count - a.count);
  const lines = sorted.slice(0, TOP_REASONS).map(({ label, count }) => `    ${formatCount(count).padStart(10)}  ${escapeForTerminal(label)}`);
  if (sorted.length > TOP_REASONS) lines.push(`    … and ${sorted.length - TOP_REASONS} more reasons (see the report)`);
  return lines;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
