// Helpers for the ZITADEL end-to-end tests: a fault-injecting emulator, the pipeline environment,
// and checks that what the emulator holds matches the run's report and dead-letter file exactly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedExport } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { readNdjson } from './helpers.js';

/** A quarter of the write calls fail, in every way the emulator offers. */
export const quarterFaults = {
  seed: 20261129,
  unavailable: 0.05,
  tooManyRequests: 0.05,
  slow: 0.05,
  slowMs: 400,
  resetAfterWrite: 0.05,
  timeoutHalfWritten: 0.05,
  routes: ['POST /admin/v1/import', 'POST /v2/users/human'],
};

/** Starts an emulator with faults on; `db` a file keeps its state across restarts. */
export function startFaultyEmulator(db = ':memory:', pat?: string): Promise<RunningEmulator> {
  return startEmulator({ port: 0, db, pat, faults: quarterFaults });
}

export interface DeadLetter {
  stage: string;
  reason: string;
  origin: string;
}

export interface RunReportFile {
  status: string;
  counts: { read: number; written: number; present: number; rejected: number; undeliverable: number; auxiliaryRejected: number; resumedSkipped: number };
  metrics: { [plugin: string]: { [metric: string]: number } };
  undeliverableByReason: { [reason: string]: number };
}

/** A user as ListUsers answers it (the fields these tests read). */
export interface ListedUser {
  userId: string;
  state: string;
  human?: { email?: { email: string; isVerified?: boolean } };
}

/** Every user the emulator holds (ListUsers by org, paged). */
export async function emulatorUsers(emu: RunningEmulator): Promise<ListedUser[]> {
  const users: ListedUser[] = [];
  for (let offset = 0; ; offset += 1000) {
    const response = await fetch(`${emu.url}/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: { offset, limit: 1000 }, queries: [{ organizationIdQuery: { organizationId: emu.orgId } }] }),
    });
    const body = (await response.json()) as { result?: ListedUser[] };
    const page = body.result ?? [];
    users.push(...page);
    if (page.length < 1000) return users;
  }
}

/** Every user id the emulator holds. */
export async function emulatorUserIds(emu: RunningEmulator): Promise<string[]> {
  return (await emulatorUsers(emu)).map((user) => user.userId);
}

/** The pipeline environment for `generated` against `emu`, writing to `outDir`. */
export function zitadelEnv(emu: RunningEmulator, generated: GeneratedExport, outDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AUTH0_PROFILES: generated.profiles.ndjson!,
    AUTH0_PASSWORDS: generated.passwords,
    ZITADEL_URL: emu.url,
    ZITADEL_PAT: emu.pat,
    ZITADEL_ORG_ID: emu.orgId,
    OUT_DIR: outDir,
    ...extra,
  };
}

/**
 * The exact-outcome check: every profile line is either in the emulator (once) or in the
 * dead-letter file with a reason, never both, never neither; the report's counts equal the
 * emulator's; nothing was left undeliverable.
 */
export async function expectExactMigration(
  emu: RunningEmulator,
  profilesPath: string,
  outDir: string,
  /** The profile file as dead-letter origins name it, when `profilesPath` is a decompressed copy of it. */
  originFile = profilesPath,
): Promise<{ report: RunReportFile; letters: DeadLetter[] }> {
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReportFile;
  const letters = existsSync(join(outDir, 'dead-letter.ndjson')) ? readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')) : [];
  const stats = emu.stats();
  const inTarget = await emulatorUserIds(emu);
  const problems: string[] = [];
  if (report.status !== 'completed') problems.push(`report status ${report.status}`);
  if (report.counts.undeliverable !== 0) problems.push(`${report.counts.undeliverable} undeliverable`);
  if (report.counts.written + report.counts.present !== stats.users) {
    problems.push(`report written ${report.counts.written} + present ${report.counts.present} ≠ emulator users ${stats.users}`);
  }
  if (new Set(inTarget).size !== inTarget.length || inTarget.length !== stats.users) problems.push('emulator lists a user twice');
  const deadOrigins = new Map<string, DeadLetter>();
  for (const letter of letters) {
    if (!letter.reason?.trim() || !letter.stage) problems.push(`dead letter without reason at ${letter.origin}`);
    if (deadOrigins.has(letter.origin)) problems.push(`two dead letters for ${letter.origin}`);
    deadOrigins.set(letter.origin, letter);
  }
  // Undeliverable users are not dead-lettered (they are not final); refused password lines are.
  if (letters.length !== report.counts.rejected + report.counts.auxiliaryRejected) problems.push(`dead letters ${letters.length} ≠ rejected + other input refused`);
  const target = new Set(inTarget);
  const seen = new Set<string>();
  const lines = readFileSync(profilesPath, 'utf8').split('\n');
  lines.forEach((text, index) => {
    if (!text.trim()) return;
    const origin = `${originFile}:${index + 1}`;
    let userId: string | undefined;
    try {
      userId = (JSON.parse(text) as { user_id?: string }).user_id;
    } catch {
      if (!deadOrigins.has(origin)) problems.push(`malformed ${origin} not dead-lettered`);
      return;
    }
    if (!userId) return;
    if (seen.has(userId)) {
      if (!deadOrigins.has(origin)) problems.push(`duplicate ${origin} not dead-lettered`);
      return;
    }
    seen.add(userId);
    const dead = deadOrigins.has(origin);
    const present = target.has(userId);
    if (dead === present) problems.push(`${userId} (${origin}) is ${dead ? 'both dead-lettered and in ZITADEL' : 'neither in ZITADEL nor dead-lettered'}`);
  });
  for (const id of inTarget) if (!seen.has(id)) problems.push(`ZITADEL holds ${id}, which is not in the source`);
  if (problems.length) throw new Error(`migration not exact (${problems.length} problems):\n${problems.slice(0, 20).join('\n')}`);
  return { report, letters };
}
