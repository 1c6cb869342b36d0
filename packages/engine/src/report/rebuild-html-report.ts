// `idflow report <folder>`: report.html rebuilt from what is on disk — report.json and, when
// `idflow verify` checked the target after that run, verify.json.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { htmlReportPathOf } from '../config/pipeline-paths.js';
import type { RunReport } from '../pipeline.js';
import { writeFileAtomically } from '../runner/atomic-file.js';
import { renderHtmlReport } from './render-html-report.js';
import { readVerification, type VerificationSummary } from './verification.js';

/** Rebuilds `<folder>/report.html`; answers its path and whether verify results were included. */
export async function rebuildHtmlReport(folder: string): Promise<{ path: string; verification?: VerificationSummary }> {
  const reportPath = join(folder, 'report.json');
  let report: RunReport;
  try {
    report = JSON.parse(await readFile(reportPath, 'utf8')) as RunReport;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file: give the folder a run wrote its report to (beside its dead-letter file)' : `it cannot be read: ${(error as Error).message}`;
    throw new ConfigError([{ file: reportPath, path: '', message: why }]);
  }
  if (typeof report?.counts !== 'object' || typeof report.status !== 'string') {
    throw new ConfigError([{ file: reportPath, path: '', message: 'this is not an idflow run report' }]);
  }
  const verification = await readVerification(reportPath, report);
  const path = htmlReportPathOf(reportPath);
  await writeFileAtomically(path, renderHtmlReport(withDefaults(report), verification), 0o600);
  return { path, verification };
}

/** A report written before some sections existed still renders. */
function withDefaults(report: RunReport): RunReport {
  return {
    ...report,
    stages: report.stages ?? { source: 'source', transforms: [], sink: 'sink' },
    warningsByKind: report.warningsByKind ?? {},
    timings: report.timings ?? [],
    timeline: report.timeline ?? { everyMs: 0, points: [] },
    sample: report.sample ?? [],
    writtenWithoutPassword: report.writtenWithoutPassword ?? {},
    undeliverableByReason: report.undeliverableByReason ?? {},
    skippedByReason: report.skippedByReason ?? {},
    counts: { ...report.counts, skipped: report.counts.skipped ?? 0 },
  };
}
