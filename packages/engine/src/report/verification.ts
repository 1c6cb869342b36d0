// What `idflow verify` found, saved as verify.json beside report.json so the HTML report can show
// who can log in with their password — the funnel's last step, which only a look at the target can
// tell. Results older than the report they sit beside belong to an earlier run and are not shown.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../runner/atomic-file.js';
import type { RunReport } from '../pipeline.js';

export const VERIFICATION_FILE = 'verify.json';

export interface VerificationSummary {
  verifiedAt: string;
  /** Users the run delivered that were looked up in the target. */
  checked: number;
  missing: number;
  different: number;
  /** In a state that keeps them from logging in as before (or lets a blocked one in). */
  wrongState: number;
  /** Users with a migrated password hash found as expected and active: they can log in with their password. */
  passwordReady: number;
  /** Users by the state the target holds them in (`active`, `initial`, `locked`, `inactive`, `other`). */
  states: { [state: string]: number };
  /** Messages the target sends them (when e-mail / SMS is set up), or why unknown. */
  messages: { [kind: string]: number } | string;
  /** Real logins tried with known passwords. */
  logins: { checked: number; succeeded: number };
  ok: boolean;
}

export function verificationPathOf(reportPath: string): string {
  return join(dirname(reportPath), VERIFICATION_FILE);
}

/** Saves `summary` beside the report (mode 0600, like the report). */
export async function writeVerification(reportPath: string, summary: VerificationSummary): Promise<void> {
  await writeFileAtomically(verificationPathOf(reportPath), `${JSON.stringify(summary, null, 2)}\n`, 0o600);
}

/** The verification beside `reportPath`, if there is one made after `report` finished. */
export async function readVerification(reportPath: string, report: Pick<RunReport, 'finishedAt'>): Promise<VerificationSummary | undefined> {
  let summary: VerificationSummary;
  try {
    summary = JSON.parse(await readFile(verificationPathOf(reportPath), 'utf8')) as VerificationSummary;
  } catch {
    return undefined;
  }
  if (typeof summary?.verifiedAt !== 'string' || typeof summary.checked !== 'number') return undefined;
  return Date.parse(summary.verifiedAt) >= Date.parse(report.finishedAt) ? summary : undefined;
}
