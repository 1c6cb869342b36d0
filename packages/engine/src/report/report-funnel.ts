// The funnel at the top of the HTML report: from the records read to the users who can log in with
// their password. Each step is one number of report.json (or of verify.json) with the path it comes
// from, so the page can be checked against the file; a step nothing measured says so instead of
// showing a guess.

import type { RunReport } from '../pipeline.js';
import type { VerificationSummary } from './verification.js';

export interface FunnelStep {
  label: string;
  /** Undefined when nothing measured it (`note` says why). */
  count?: number;
  /** Where `count` is in report.json (`from: 'report'`) or verify.json (`from: 'verify'`). */
  path?: string[];
  from: 'report' | 'verify';
  note: string;
}

function metricStep(report: RunReport, label: string, metric: string, note: string): FunnelStep {
  const source = report.stages.source;
  const count = report.metrics[source]?.[metric];
  if (count === undefined) return { label, from: 'report', note: `not counted by the source ${source}` };
  return { label, count, path: ['metrics', source, metric], from: 'report', note };
}

export function funnelOf(report: RunReport, verification: VerificationSummary | undefined): FunnelStep[] {
  const { counts } = report;
  const steps: FunnelStep[] = [
    {
      label: 'records read',
      count: counts.read,
      path: ['counts', 'read'],
      from: 'report',
      note:
        'every user record of the export, unreadable ones included' +
        (counts.auxiliaryRejected > 0 ? `; besides, ${counts.auxiliaryRejected} input lines that are not users were refused (e.g. passwords without a profile)` : ''),
    },
    metricStep(report, 'users', 'users', 'readable profiles with a user id, duplicates out'),
    metricStep(report, 'joined with a password hash', 'with-password', "a hash from the password export was joined to the profile by id"),
    {
      label: report.dryRun ? 'valid (would be sent)' : 'valid',
      count: counts.transformed,
      path: ['counts', 'transformed'],
      from: 'report',
      note: 'passed every transform: mapping, hash check, the target’s field rules',
    },
  ];
  if (report.dryRun) {
    steps.push({ label: 'written', from: 'report', note: 'dry run: nothing was written to the target' });
  } else {
    steps.push({ label: 'written', count: counts.written, path: ['counts', 'written'], from: 'report', note: 'created in the target by this job' });
    steps.push({ label: 'already present', count: counts.present, path: ['counts', 'present'], from: 'report', note: 'were in the target already (an earlier run, or the same id)' });
    // A sync (`onExisting: update`): users that existed, brought up to date or found equal.
    if (counts.updated + counts.unchanged > 0 || report.missing) {
      const parts = Object.entries(report.updatedByPart ?? {}).map(([part, n]) => `${part} ${n}`).join(', ');
      steps.push({ label: 'updated', count: counts.updated, path: ['counts', 'updated'], from: 'report', note: `existed and were brought up to date${parts ? `: ${parts}` : ''}` });
      steps.push({ label: 'unchanged', count: counts.unchanged, path: ['counts', 'unchanged'], from: 'report', note: 'existed and already matched the export: nothing written' });
    }
    if (report.missing) {
      steps.push({ label: 'missing from the export', count: report.missing.count, path: ['missing', 'count'], from: 'report', note: report.missing.deactivated > 0 ? `in the target but not in the export: ${report.missing.deactivated} deactivated` : 'in the target but not in the export: listed, never deleted' });
    }
  }
  steps.push(loginStep(verification));
  return steps;
}

function loginStep(verification: VerificationSummary | undefined): FunnelStep {
  const label = 'able to log in with their password';
  if (!verification) return { label, from: 'verify', note: 'not checked: run `idflow verify <pipeline>`, then `idflow report <folder>` (or run verify before this report was built)' };
  const { logins } = verification;
  const tried = logins.checked > 0 ? `; real logins: ${logins.succeeded} of ${logins.checked} succeeded` : '; no real login was tried (--login / --logins)';
  return {
    label,
    count: verification.passwordReady,
    path: ['passwordReady'],
    from: 'verify',
    note: `checked by idflow verify at ${verification.verifiedAt}: found in the target, active, with their migrated hash${tried}`,
  };
}
