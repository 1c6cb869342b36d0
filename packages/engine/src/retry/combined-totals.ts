// How a retry's outcome adds up with the run it amends (see CombinedTotals in pipeline.ts). The
// retry replays `plan.replayable` dead letters; each ends delivered or present, skipped, rejected
// again (under its new reason), undeliverable, or not yet final (an interrupted retry). Only the
// first two leave the rejected count; every replayed one leaves its original reason.

import type { CombinedTotals, RunReport } from '../pipeline.js';
import { addReasonCounts, OTHER_REASONS, type ReasonCounts } from '../runner/run-tally.js';
import type { RetryPlan } from './retry-plan.js';

/** Where the not-yet-final replayed users are counted in `combined.rejectedByReason`. */
export const NOT_RETRIED = { stage: 'retry', reason: 'not retried yet (the retry did not finish): run the retry again' };

/** The totals of a report: a retry's own combined ones, or the run's. */
export function totalsOf(report: RunReport): CombinedTotals {
  if (report.retry?.combined) return report.retry.combined;
  const { counts } = report;
  return {
    counts: {
      read: counts.read,
      written: counts.written,
      present: counts.present,
      skipped: counts.skipped ?? 0,
      rejected: counts.rejected,
      undeliverable: counts.undeliverable,
      auxiliaryRejected: counts.auxiliaryRejected,
    },
    rejectedByReason: report.rejectedByReason ?? {},
    skippedByReason: report.skippedByReason ?? {},
    writtenWithoutPassword: report.writtenWithoutPassword ?? {},
  };
}

/** `base` (the amended run) with `retry` (this retry's report) added up. */
export function combineTotals(base: CombinedTotals, retry: RunReport, plan: RetryPlan): CombinedTotals {
  // A dry run writes nothing: its totals are what the migration would stand at.
  const r = retry.dryRun ? { ...retry.counts, written: retry.counts.transformed } : retry.counts;
  const delivered = r.written + r.present + r.skipped;
  const notFinal = Math.max(0, plan.replayable - delivered - r.rejected - r.undeliverable);
  const rejectedByReason = structuredClone(base.rejectedByReason);
  for (const [stage, reasons] of Object.entries(plan.replayableByReason)) {
    for (const [reason, n] of Object.entries(reasons)) subtract(rejectedByReason, stage, reason, n);
  }
  addReasonCounts(rejectedByReason, retry.rejectedByReason);
  if (notFinal > 0) addReasonCounts(rejectedByReason, { [NOT_RETRIED.stage]: { [NOT_RETRIED.reason]: notFinal } });
  const skippedByReason = structuredClone(base.skippedByReason);
  addReasonCounts(skippedByReason, retry.skippedByReason);
  const writtenWithoutPassword = { ...base.writtenWithoutPassword };
  for (const [cause, n] of Object.entries(retry.writtenWithoutPassword)) writtenWithoutPassword[cause] = (writtenWithoutPassword[cause] ?? 0) + n;
  return {
    counts: {
      read: base.counts.read,
      written: base.counts.written + r.written,
      present: base.counts.present + r.present,
      skipped: base.counts.skipped + r.skipped,
      rejected: Math.max(0, base.counts.rejected - delivered - r.undeliverable),
      undeliverable: base.counts.undeliverable + r.undeliverable,
      auxiliaryRejected: base.counts.auxiliaryRejected,
    },
    rejectedByReason,
    skippedByReason,
    writtenWithoutPassword,
  };
}

/** Takes `n` off a reason (off the bucket of other reasons when the report did not keep it by name). */
function subtract(into: ReasonCounts, stage: string, reason: string, n: number): void {
  const byReason = into[stage];
  if (!byReason) return;
  const key = byReason[reason] !== undefined ? reason : OTHER_REASONS;
  if (byReason[key] === undefined) return;
  byReason[key] -= n;
  if (byReason[key] <= 0) delete byReason[key];
  if (Object.keys(byReason).length === 0) delete into[stage];
}
