// The numbers a run reports: counts, rejections by stage and reason, plugin metrics, warnings.
// Two views of "read" and "transformed" exist: what this run has seen so far (for progress and the
// report) and what is acknowledged (for the checkpoint), because records read but still in flight
// when a run stops — or left undeliverable — are read again by the resumed run and must not be
// counted twice. For the same reason undeliverable records are this run's count only.

import type { RunCounts } from '../pipeline.js';

/** What a checkpoint keeps of the tally, restored into the next run's totals. */
export interface SavedTally {
  counts: RunCounts;
  rejectedByReason: ReasonCounts;
  metrics: MetricCounts;
  warnings: number;
  /** Users updated by part (absent in checkpoints written before sync existed). */
  updatedByPart?: PartCounts;
}

export type PartCounts = { [part: string]: number };

export type ReasonCounts = { [stage: string]: { [reason: string]: number } };
export type MetricCounts = { [plugin: string]: { [metric: string]: number } };

/** Distinct reasons kept per stage; beyond that they are summed under OTHER_REASONS (memory stays bounded). */
const MAX_REASONS_PER_STAGE = 50;
export const OTHER_REASONS = '(other reasons)';

export function emptyCounts(): RunCounts {
  return { read: 0, transformed: 0, written: 0, present: 0, updated: 0, unchanged: 0, rejected: 0, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 };
}

export class RunTally {
  /** This run's counts (not including a resumed run's earlier counts). */
  readonly live: RunCounts = emptyCounts();
  private ackedRead = 0;
  private ackedTransformed = 0;
  readonly rejectedByReason: ReasonCounts = {};
  /** This run's undeliverable records by the sink's last reason (never saved: the next run re-sends them). */
  readonly undeliverableByReason: { [reason: string]: number } = {};
  readonly metrics: MetricCounts = {};
  /** Users updated, by part changed (totals across resumed runs: saved in the checkpoint). */
  readonly updatedByPart: PartCounts = {};
  warnings = 0;
  private base: RunCounts = emptyCounts();

  /** Adds the totals a checkpoint saved, so a resumed run reports the whole job. */
  restore(saved: SavedTally): void {
    this.base = { ...emptyCounts(), ...saved.counts, undeliverable: 0, resumedSkipped: 0 };
    for (const [stage, reasons] of Object.entries(saved.rejectedByReason ?? {})) {
      for (const [reason, n] of Object.entries(reasons)) {
        const byReason = (this.rejectedByReason[stage] ??= {});
        byReason[reason] = (byReason[reason] ?? 0) + n;
      }
    }
    for (const [plugin, counters] of Object.entries(saved.metrics ?? {})) {
      for (const [metric, n] of Object.entries(counters)) this.addMetric(plugin, metric, n);
    }
    for (const [part, n] of Object.entries(saved.updatedByPart ?? {})) this.updatedByPart[part] = (this.updatedByPart[part] ?? 0) + n;
    this.warnings += saved.warnings ?? 0;
  }

  /** A user brought up to date: counted once, and once under each part it changed. */
  addUpdated(parts: readonly string[]): void {
    this.live.updated += 1;
    for (const part of parts) this.updatedByPart[part] = (this.updatedByPart[part] ?? 0) + 1;
  }

  /** A record left the run: it counts in the checkpoint from now on. */
  acknowledged(reachedSink: boolean): void {
    this.ackedRead += 1;
    if (reachedSink) this.ackedTransformed += 1;
  }

  addReason(stage: string, reason: string): void {
    countReason((this.rejectedByReason[stage] ??= {}), reason);
  }

  addUndeliverable(reason: string): void {
    this.live.undeliverable += 1;
    countReason(this.undeliverableByReason, reason);
  }

  addMetric(plugin: string, metric: string, by: number): void {
    const counters = (this.metrics[plugin] ??= {});
    counters[metric] = (counters[metric] ?? 0) + by;
  }

  /** Totals across the resumed runs and this one, for progress and the report. */
  totals(): RunCounts {
    const b = this.base;
    const l = this.live;
    return {
      read: b.read + l.read,
      transformed: b.transformed + l.transformed,
      written: b.written + l.written,
      present: b.present + l.present,
      updated: b.updated + l.updated,
      unchanged: b.unchanged + l.unchanged,
      rejected: b.rejected + l.rejected,
      undeliverable: l.undeliverable,
      auxiliaryRejected: b.auxiliaryRejected + l.auxiliaryRejected,
      resumedSkipped: l.resumedSkipped,
    };
  }

  /** What to save in a checkpoint: only acknowledged records (sink outcomes are counted at acknowledgement). */
  saved(): SavedTally {
    const totals = this.totals();
    return {
      counts: {
        ...totals,
        read: this.base.read + this.ackedRead,
        transformed: this.base.transformed + this.ackedTransformed,
        undeliverable: 0,
        resumedSkipped: 0,
      },
      rejectedByReason: structuredClone(this.rejectedByReason),
      metrics: structuredClone(this.metrics),
      warnings: this.warnings,
      updatedByPart: { ...this.updatedByPart },
    };
  }
}

function countReason(byReason: { [reason: string]: number }, reason: string): void {
  if (byReason[reason] === undefined && Object.keys(byReason).length >= MAX_REASONS_PER_STAGE) reason = OTHER_REASONS;
  byReason[reason] = (byReason[reason] ?? 0) + 1;
}
