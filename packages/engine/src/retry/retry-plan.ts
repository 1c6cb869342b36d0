// What a retry will do, read from the dead-letter file before anything runs: how many dead letters
// it holds, how many `--reason` selects, how many of those can be replayed — and, by their
// original stage and reason, which ones (to add the retry's outcome to the original run's counts).

import { type ReasonCounts, countReason } from '../runner/run-tally.js';
import { type DeadLetterSelection, isSelected, readDeadLetters } from './dead-letter-lines.js';

export interface RetryPlan {
  /** Dead letters in the file (non-blank lines). */
  deadLetters: number;
  /** Of those, selected by `--reason` (all without it). */
  selected: number;
  /** Selected and replayable: the records the retry sends through the pipeline again. */
  replayable: number;
  /** Selected but refused by the source itself (or unreadable): they stay as they are. */
  notReplayable: number;
  /** Why, counted: `source: <original reason>` → n, or the line problem. */
  notReplayableByReason: { [reason: string]: number };
  /** The replayable ones by their original stage and reason. */
  replayableByReason: ReasonCounts;
  /** The most frequent reasons in the file, for a `--reason` that selects nothing. */
  topReasons: string[];
}

/** Reads the whole file once. */
export async function planRetry(path: string, selection: DeadLetterSelection): Promise<RetryPlan> {
  const plan: RetryPlan = { deadLetters: 0, selected: 0, replayable: 0, notReplayable: 0, notReplayableByReason: {}, replayableByReason: {}, topReasons: [] };
  const all: { [reason: string]: number } = {};
  for await (const { line } of readDeadLetters(path)) {
    plan.deadLetters += 1;
    if (line.kind === 'unreadable') {
      plan.selected += 1;
      plan.notReplayable += 1;
      countReason(plan.notReplayableByReason, 'not a dead-letter line (torn or edited)');
      continue;
    }
    countReason(all, `${line.stage}: ${line.reason}`);
    if (!isSelected(selection, line.stage, line.reason)) continue;
    plan.selected += 1;
    if (line.kind === 'not-replayable') {
      plan.notReplayable += 1;
      countReason(plan.notReplayableByReason, `${line.stage}: ${line.reason}`);
      continue;
    }
    plan.replayable += 1;
    countReason((plan.replayableByReason[line.stage] ??= {}), line.reason);
  }
  plan.topReasons = Object.entries(all)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([reason, n]) => `${reason} (${n})`);
  return plan;
}
