// The summary of `idflow retry`: the run summary of the retry itself, then what it replayed and —
// with the report of the run it amends — where the migration stands now, totals added up.
import { formatCount, type Origin, type RunReport } from '@idflow/engine';
import { formatRunSummary, reasonsOf, row, topReasons } from './run-summary.js';
import { escapeForTerminal } from './terminal-text.js';

export function formatRetrySummary(report: RunReport, resumedFrom?: Origin): string {
  const lines = [formatRunSummary(report, resumedFrom)];
  const retry = report.retry;
  if (!retry) return lines[0];
  const selected = retry.reason === undefined ? '' : `${formatCount(retry.selected)} selected by --reason ${JSON.stringify(retry.reason)}, `;
  lines.push(
    `  ${'retry of'.padEnd(22)}${escapeForTerminal(retry.from)}`,
    row('dead letters', retry.deadLetters, `${escapeForTerminal(selected)}${formatCount(retry.replayable)} replayed`),
  );
  if (retry.notReplayable > 0) {
    lines.push(row('not replayable', retry.notReplayable, 'refused by the source: fix the input and run the pipeline again'));
    lines.push(...topReasons(reasonsOf(retry.notReplayableByReason, '')));
  }
  const combined = retry.combined;
  if (!combined) {
    lines.push('  (no report of the run that wrote it lies beside it: the totals above are the retry\'s alone)');
    return lines.join('\n');
  }
  const { counts } = combined;
  lines.push(
    `  with the run it amends (${escapeForTerminal(retry.amends ?? '')}), the migration ${report.dryRun ? 'would stand' : 'stands'} at:`,
    ...[
      row('users read', counts.read),
      row('written', counts.written),
      row('already present', counts.present),
      ...(counts.skipped > 0 ? [row('skipped', counts.skipped)] : []),
      row('rejected', counts.rejected),
      ...(counts.auxiliaryRejected > 0 ? [row('other input refused', counts.auxiliaryRejected)] : []),
      ...topReasons(Object.entries(combined.rejectedByReason).flatMap(([stage, byReason]) => reasonsOf(byReason, `${stage}: `))),
      ...(counts.undeliverable > 0 ? [row('undeliverable', counts.undeliverable, 'not final: run again')] : []),
    ].map((line) => `  ${line}`),
  );
  return lines.join('\n');
}
