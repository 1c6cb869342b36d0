// `idflow verify`: every user the run delivered must exist in ZITADEL with the right userName
// and email; optional real logins prove the password hashes work.
import { resolve } from 'node:path';
import { ConfigError, type LoadedPipeline } from '@idflow/engine';
import type { V2User } from '@idflow/zitadel-model';
import type { AuthConfig } from '../auth/auth-config.js';
import { listUsersByIds } from '../http/list-users.js';
import { ZitadelHttp } from '../http/zitadel-http.js';
import { resolveRetryPolicy } from '../retry/retry-policy.js';
import { type LoginFailure, checkLogins } from './check-logins.js';
import { readDeadLetterOrigins } from './dead-letter-origins.js';
import { type ExpectedUser, type PluginList, readExpectedUsers } from './expected-users.js';
import type { LoginCheck } from './read-logins.js';

/** One user that is not in ZITADEL as expected. */
export interface UserMismatch {
  userId: string;
  origin: string;
  problem: string;
}

/** The outcome of a verification; `ok` is what the exit code follows. */
export interface VerifyReport {
  checked: number;
  missing: UserMismatch[];
  different: UserMismatch[];
  logins: { checked: number; failures: LoginFailure[] };
  ok: boolean;
}

export interface VerifyOptions {
  pipeline: LoadedPipeline;
  /** Plugins to open the pipeline's source and transforms with (the CLI's registry). */
  catalog: PluginList;
  logins?: LoginCheck[];
  /** Users per ListUsers call (default 100). */
  lookupBatchSize?: number;
  signal?: AbortSignal;
}

const zitadelSinks = new Set(['zitadel-import', 'zitadel-users']);

/** The target from the pipeline's ZITADEL sink; verify refuses other sinks. */
function targetOf(pipeline: LoadedPipeline): { url: string; auth?: AuthConfig; allowInsecure?: boolean } {
  const sink = pipeline.config.sink;
  if (!zitadelSinks.has(sink.use)) {
    throw new ConfigError([
      { file: pipeline.file, path: 'sink.use', message: `verify checks a ZITADEL target; this pipeline's sink is "${sink.use}" (use zitadel-import or zitadel-users)` },
    ]);
  }
  return sink.with as { url: string; auth?: AuthConfig; allowInsecure?: boolean };
}

function compare(expected: ExpectedUser, actual: V2User | undefined): UserMismatch | { missing: UserMismatch } | undefined {
  if (!actual) return { missing: { userId: expected.userId, origin: expected.origin, problem: `missing (userName ${expected.userName})` } };
  const problems: string[] = [];
  if (actual.username !== expected.userName) problems.push(`userName is "${actual.username}", expected "${expected.userName}"`);
  const email = actual.human?.email?.email;
  if (email?.toLowerCase() !== expected.email.toLowerCase()) problems.push(`email is "${email ?? ''}", expected "${expected.email}"`);
  return problems.length ? { userId: expected.userId, origin: expected.origin, problem: problems.join('; ') } : undefined;
}

/** Checks the target against what the run should have delivered, then the logins. */
export async function verifyMigration(options: VerifyOptions): Promise<VerifyReport> {
  const { pipeline } = options;
  const signal = options.signal ?? new AbortController().signal;
  const target = targetOf(pipeline);
  const http = new ZitadelHttp({ ...target, baseDir: pipeline.baseDir, connections: 2 });
  const report: VerifyReport = { checked: 0, missing: [], different: [], logins: { checked: 0, failures: [] }, ok: true };
  const userIdByEmail = new Map<string, string>();
  const batchSize = options.lookupBatchSize ?? 100;
  const policy = resolveRetryPolicy(undefined);
  try {
    const dlqPath = pipeline.config.dlq?.path ? resolve(pipeline.baseDir, pipeline.config.dlq.path) : undefined;
    const deadLettered = await readDeadLetterOrigins(dlqPath);
    let batch: ExpectedUser[] = [];
    const checkBatch = async () => {
      const found = await listUsersByIds(http, batch.map((u) => u.userId), policy, signal);
      for (const expected of batch) {
        const mismatch = compare(expected, found.get(expected.userId));
        if (mismatch && 'missing' in mismatch) report.missing.push(mismatch.missing);
        else if (mismatch) report.different.push(mismatch);
      }
      report.checked += batch.length;
      batch = [];
    };
    for await (const user of readExpectedUsers(pipeline, options.catalog, deadLettered, signal)) {
      if (options.logins?.length) userIdByEmail.set(user.email.toLowerCase(), user.userId);
      batch.push(user);
      if (batch.length >= batchSize) await checkBatch();
    }
    if (batch.length) await checkBatch();
    if (options.logins?.length) {
      report.logins.checked = options.logins.length;
      report.logins.failures = await checkLogins(http, options.logins, (email) => userIdByEmail.get(email), policy, signal);
    }
  } finally {
    await http.close();
  }
  report.ok = report.missing.length === 0 && report.different.length === 0 && report.logins.failures.length === 0;
  return report;
}

/** Human-readable lines for a report; at most `limit` mismatches of each kind are listed. */
export function formatVerifyReport(report: VerifyReport, limit = 50): string[] {
  const lines = [`checked ${report.checked} users: ${report.missing.length} missing, ${report.different.length} different`];
  for (const [label, list] of [['missing', report.missing], ['different', report.different]] as const) {
    for (const m of list.slice(0, limit)) lines.push(`  ${label}: ${m.userId} (${m.origin}): ${m.problem}`);
    if (list.length > limit) lines.push(`  … and ${list.length - limit} more ${label}`);
  }
  if (report.logins.checked) {
    lines.push(`logins: ${report.logins.checked - report.logins.failures.length} of ${report.logins.checked} succeeded`);
    for (const f of report.logins.failures) lines.push(`  login failed: ${f.email}: ${f.reason}`);
  }
  lines.push(report.ok ? 'verify: OK' : 'verify: FAILED');
  return lines;
}
