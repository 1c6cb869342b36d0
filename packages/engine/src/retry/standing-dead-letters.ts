// Which dead letters still stand after the retries made of them: `idflow verify` must expect in
// the target the users a completed retry delivered, and only those. A retry lives beside the file
// it replayed (`<file>.retry…/`, see retry-pipeline.ts) and names that file in its report; what it
// refused again is in its own dead-letter file, which later retries may have replayed in turn.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { realPathOf } from '../config/pipeline-paths.js';
import type { RunReport } from '../pipeline.js';
import { isSelected, readDeadLetters } from './dead-letter-lines.js';
import { selectionOf } from './dead-letter-source.js';

/** `file:line` of every dead letter in `path` that no completed retry beside it has delivered since. */
export async function standingDeadLetterOrigins(path: string): Promise<Set<string>> {
  const standing = new Set<string>();
  const replayable: { origin: string; stage: string; reason: string }[] = [];
  for await (const { line } of readDeadLetters(path)) {
    if (line.kind === 'unreadable') continue;
    if (line.kind === 'replayable') {
      const origin = `${line.origin.file}:${line.origin.line}`;
      standing.add(origin);
      replayable.push({ origin, stage: line.stage, reason: line.reason });
    } else standing.add(line.origin);
  }
  for (const retry of completedRetriesOf(path)) {
    const selection = selectionOf({ reason: retry.reason });
    const refusedAgain = await standingDeadLetterOrigins(join(retry.dir, 'dead-letter.ndjson'));
    for (const letter of replayable) {
      if (isSelected(selection, letter.stage, letter.reason) && !refusedAgain.has(letter.origin)) standing.delete(letter.origin);
    }
  }
  return standing;
}

/** The folders of the retries of `path` that completed (not dry runs). */
function completedRetriesOf(path: string): { dir: string; reason?: string }[] {
  const folder = dirname(path);
  const prefix = `${basename(path, extname(path))}.retry`;
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
  const real = realPathOf(path);
  const retries: { dir: string; reason?: string }[] = [];
  for (const name of names) {
    const dir = join(folder, name);
    let report: RunReport;
    try {
      report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
    } catch {
      continue;
    }
    if (report.status !== 'completed' || report.dryRun || !report.retry || realPathOf(report.retry.from) !== real) continue;
    retries.push({ dir, reason: report.retry.reason });
  }
  return retries;
}
