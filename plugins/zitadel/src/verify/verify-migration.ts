// `idflow verify`: every user the run delivered must exist in ZITADEL with the right userName
// and email, and in a state that lets it log in as before: a user with a migrated hash must not be
// INITIAL (the login would ask for an init code), a user blocked in Auth0 must be locked or
// inactive. It reports every user's state and the messages ZITADEL sends them; optional real
// logins prove the password hashes work.
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
import { type SentMessages, readSentMessages } from './sent-messages.js';

/** One user that is not in ZITADEL as expected. */
export interface UserMismatch {
  userId: string;
  origin: string;
  problem: string;
}

/** Users by the state ZITADEL holds them in. */
export interface StateCounts {
  active: number;
  initial: number;
  locked: number;
  inactive: number;
  other: number;
}

/** The outcome of a verification; `ok` is what the exit code follows. */
export interface VerifyReport {
  checked: number;
  missing: UserMismatch[];
  different: UserMismatch[];
  /** Users whose state keeps them from logging in as before, or lets a blocked one in. */
  wrongState: UserMismatch[];
  states: StateCounts;
  /** Messages ZITADEL sends the migrated users (when SMTP / SMS is set up), or why unknown. */
  messages: SentMessages | string;
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
function targetOf(pipeline: LoadedPipeline): { url: string; orgId: string; auth?: AuthConfig; allowInsecure?: boolean } {
  const sink = pipeline.config.sink;
  if (!zitadelSinks.has(sink.use)) {
    throw new ConfigError([
      { file: pipeline.file, path: 'sink.use', message: `verify checks a ZITADEL target; this pipeline's sink is "${sink.use}" (use zitadel-import or zitadel-users)` },
    ]);
  }
  return sink.with as { url: string; orgId: string; auth?: AuthConfig; allowInsecure?: boolean };
}

const stateNames: { [state: string]: keyof StateCounts } = {
  USER_STATE_ACTIVE: 'active',
  USER_STATE_INITIAL: 'initial',
  USER_STATE_LOCKED: 'locked',
  USER_STATE_INACTIVE: 'inactive',
};

/** Why the user's state is wrong for what the run migrated, or undefined. */
function stateProblem(expected: ExpectedUser, state: string): string | undefined {
  const blocked = expected.state !== 'USER_STATE_ACTIVE';
  if (blocked && state !== 'USER_STATE_LOCKED' && state !== 'USER_STATE_INACTIVE') {
    return `blocked in Auth0 but ${state.replace('USER_STATE_', '')} in ZITADEL: it can log in`;
  }
  if (!blocked && expected.hasHash && state === 'USER_STATE_INITIAL') {
    return 'INITIAL although its password hash was migrated: the login will ask for an init code (see onboarding in docs/migrate-auth0-to-zitadel.md)';
  }
  return undefined;
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
  const report: VerifyReport = {
    checked: 0,
    missing: [],
    different: [],
    wrongState: [],
    states: { active: 0, initial: 0, locked: 0, inactive: 0, other: 0 },
    messages: 'not read',
    logins: { checked: 0, failures: [] },
    ok: true,
  };
  const userIdByEmail = new Map<string, string>();
  const foundIds = new Set<string>();
  const batchSize = options.lookupBatchSize ?? 100;
  const policy = resolveRetryPolicy(undefined);
  try {
    const dlqPath = pipeline.config.dlq?.path ? resolve(pipeline.baseDir, pipeline.config.dlq.path) : undefined;
    const deadLettered = await readDeadLetterOrigins(dlqPath);
    let batch: ExpectedUser[] = [];
    const checkBatch = async () => {
      const found = await listUsersByIds(http, batch.map((u) => u.userId), policy, signal);
      for (const expected of batch) {
        const actual = found.get(expected.userId);
        const mismatch = compare(expected, actual);
        if (mismatch && 'missing' in mismatch) report.missing.push(mismatch.missing);
        else if (mismatch) report.different.push(mismatch);
        if (!actual) continue;
        foundIds.add(actual.userId);
        report.states[stateNames[actual.state] ?? 'other'] += 1;
        const problem = stateProblem(expected, actual.state);
        if (problem) report.wrongState.push({ userId: expected.userId, origin: expected.origin, problem });
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
    report.messages = await readSentMessages(http, target.orgId, foundIds, policy, signal);
    if (options.logins?.length) {
      report.logins.checked = options.logins.length;
      report.logins.failures = await checkLogins(http, options.logins, (email) => userIdByEmail.get(email), policy, signal);
    }
  } finally {
    await http.close();
  }
  report.ok = report.missing.length === 0 && report.different.length === 0 && report.wrongState.length === 0 && report.logins.failures.length === 0;
  return report;
}

/** Human-readable lines for a report; at most `limit` mismatches of each kind are listed. */
export function formatVerifyReport(report: VerifyReport, limit = 50): string[] {
  const { states, messages } = report;
  const lines = [
    `checked ${report.checked} users: ${report.missing.length} missing, ${report.different.length} different, ${report.wrongState.length} in a wrong state`,
    `states: ${states.active} active, ${states.initial} initial, ${states.locked} locked, ${states.inactive} inactive${states.other ? `, ${states.other} other` : ''}`,
    typeof messages === 'string'
      ? `messages ZITADEL sends them: unknown (${messages})`
      : `messages ZITADEL sends them (when SMTP / SMS is set up): ${messages.initEmails} init e-mails, ${messages.verificationEmails} verification e-mails, ${messages.verificationSms} verification SMS`,
  ];
  for (const [label, list] of [['missing', report.missing], ['different', report.different], ['wrong state', report.wrongState]] as const) {
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
