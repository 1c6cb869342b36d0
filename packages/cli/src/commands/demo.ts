// `idflow demo`: a real Auth0 → ZITADEL migration on this machine, start to finish. It generates a
// synthetic Auth0 export (real hashes of known passwords, plus users that must be rejected), starts
// the embedded ZITADEL emulator, runs pipelines/auth0-to-zitadel.yaml against it, verifies the
// result with real logins, prints what happened — how many users, through which API, in which
// state, and the messages ZITADEL would send them (none: the default onboarding is silent) — and
// stops the emulator.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, IdflowError, type RunReport } from '@idflow/engine';
import type { EmulatorStatsSnapshot } from '@idflow/zitadel-emulator';
import type { Argv, CommandModule } from 'yargs';
import { formatCount } from '../run/format-count.js';

interface DemoArgs {
  users: number;
  out: string;
  seed: number;
  logins: number;
}

/** The repository's pipelines folder (the CLI is run from its build inside the repo). */
const pipelinesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'pipelines');
/** Hash verifiers the demo's target enables, so converted Auth0 pbkdf2 and md5 hashes import too. */
const DEMO_VERIFIERS = ['bcrypt', 'pbkdf2', 'md5plain'] as const;

const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Migrate a synthetic Auth0 export into the embedded ZITADEL emulator, then verify it with real logins',
  builder: (yargs: Argv) =>
    yargs
      .option('users', { type: 'number', default: 10_000, describe: 'Users in the synthetic Auth0 export' })
      .option('out', { type: 'string', default: 'demo-out', describe: 'Working folder: export, dead-letter file, report' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the synthetic export' })
      .option('logins', { type: 'number', default: 25, describe: 'Users whose passwords are checked by real logins' }) as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    await runDemo(args);
  },
};
export default demoCommand;

async function runDemo(args: DemoArgs): Promise<void> {
  if (!Number.isInteger(args.users) || args.users < 1) throw new IdflowError('--users must be a positive integer', 'USAGE', ExitCode.config);
  const { main } = await import('../main.js');
  const out = resolve(args.out);
  const exportDir = join(out, 'auth0-export');
  const migrationDir = join(out, 'migration');
  await rm(out, { recursive: true, force: true });

  say(`1/4 Generating a synthetic Auth0 export of ${formatCount(args.users)} users in ${shown(exportDir)}`);
  // Loaded here, not at startup: every other command would pay for them.
  const { generateAuth0Export } = await import('@idflow/fixtures');
  const { startEmulator } = await import('@idflow/zitadel-emulator');
  const generated = await generateAuth0Export({ dir: exportDir, users: args.users, seed: args.seed, formats: ['ndjson'], gzip: true });
  const profiles = generated.profiles.ndjson as string;

  say('2/4 Starting the embedded ZITADEL emulator');
  const emulator = await startEmulator({ port: 0, db: join(out, 'zitadel-emulator.sqlite'), verifiers: [...DEMO_VERIFIERS] });
  try {
    say(`    ${emulator.url} (org ${emulator.orgId}; verifiers: ${DEMO_VERIFIERS.join(', ')})`);
    const env = {
      AUTH0_PROFILES: profiles,
      AUTH0_PASSWORDS: generated.passwords,
      ZITADEL_URL: emulator.url,
      ZITADEL_PAT: emulator.pat,
      ZITADEL_ORG_ID: emulator.orgId,
      ZITADEL_VERIFIERS: DEMO_VERIFIERS.join(','),
      // The embedded emulator has no rate limit: the users sent through v2 need no cap.
      ZITADEL_RATE_LIMIT: '0',
      OUT_DIR: migrationDir,
    };
    Object.assign(process.env, env);
    const pipeline = join(pipelinesDir, 'auth0-to-zitadel.yaml');

    say(`3/4 Migrating: idflow run ${shown(pipeline)}`);
    const runExit = await main(['run', pipeline, '--fresh']);
    const report = JSON.parse(await readFile(join(migrationDir, 'report.json'), 'utf8')) as RunReport;

    // Users the demo export makes unmigratable on purpose (weak bcrypt) or unable to log in (blocked).
    const cannotLogIn = new Set([...(generated.expected.byKind['bcrypt-4'] ?? []), ...(generated.expected.byKind.blocked ?? [])]);
    const sample = generated.logins.filter((login) => !cannotLogIn.has(login.user_id)).slice(0, args.logins);
    const loginsFile = join(out, 'demo-logins.ndjson');
    await writeFile(loginsFile, sample.map(({ email, password }) => JSON.stringify({ email, password })).join('\n'), { mode: 0o600 });
    await chmod(loginsFile, 0o600);
    say(`4/4 Verifying every migrated user, and ${sample.length} real logins: idflow verify`);
    const verifyExit = await main(['verify', pipeline, '--logins', loginsFile]);

    const stats = emulator.stats();
    say('');
    say(recap(report, stats, sample.length, verifyExit === 0));
    if (runExit !== ExitCode.ok || verifyExit !== ExitCode.ok) {
      throw new IdflowError(`demo failed: run exited ${runExit}, verify exited ${verifyExit}`, 'DEMO_FAILED', ExitCode.incomplete);
    }
  } finally {
    await emulator.close();
  }
}

/** `2,940 active, 41 locked` from ListUsers' state names. */
function describeStates(byState: Record<string, number>): string {
  const order = ['USER_STATE_ACTIVE', 'USER_STATE_INITIAL', 'USER_STATE_LOCKED', 'USER_STATE_INACTIVE'];
  const names = [...order, ...Object.keys(byState).filter((state) => !order.includes(state))];
  return names.map((state) => `${formatCount(byState[state] ?? 0)} ${state.replace('USER_STATE_', '').toLowerCase()}`).join(', ');
}

/** `bulk import 2,050; v2 AddHumanUser 931 (e-mail not verified 700, …)` from the sink's counters. */
function describeRoutes(report: RunReport): string {
  const metrics = report.metrics['zitadel-import'] ?? {};
  const routed = Object.entries(metrics).filter(([name]) => name.startsWith('via v2: '));
  const viaV2 = routed.reduce((sum, [, n]) => sum + n, 0);
  const reasons = routed.map(([name, n]) => `${name.slice('via v2: '.length)} ${formatCount(n)}`).join(', ');
  const imported = report.counts.written + report.counts.present - viaV2;
  return `bulk import ${formatCount(imported)}, v2 AddHumanUser ${formatCount(viaV2)}${reasons ? ` (${reasons})` : ''}`;
}

function recap(report: RunReport, stats: EmulatorStatsSnapshot, logins: number, verified: boolean): string {
  const c = report.counts;
  const sent = stats.notifications;
  const reasons = Object.entries(report.rejectedByReason)
    .flatMap(([stage, byReason]) => Object.entries(byReason).map(([reason, n]) => ({ stage, reason, n })))
    .sort((a, b) => b.n - a.n)
    .map(({ stage, reason, n }) => `      ${String(n).padStart(6)}  ${reason}  (${stage})`);
  return [
    'Demo result',
    `  migrated:          ${formatCount(c.written + c.present)} users (${formatCount(c.written)} written, ${formatCount(c.present)} already present)`,
    `  through:           ${describeRoutes(report)}`,
    `  in the target:     ${formatCount(stats.users)} users: ${describeStates(stats.usersByState)}`,
    `  messages sent:     ${formatCount(sent.initEmails)} init e-mails, ${formatCount(sent.verificationEmails)} verification e-mails, ${formatCount(sent.verificationSms)} SMS (what ZITADEL would send with SMTP / SMS set up)`,
    `  rejected:          ${formatCount(c.rejected)} records, by reason:`,
    ...reasons,
    `  undeliverable:     ${c.undeliverable}`,
    `  verification:      ${verified ? `every migrated user found; ${logins} real logins succeeded` : 'FAILED (see above)'}`,
    `  dead-letter file:  ${report.dlqPath ? shown(report.dlqPath) : '(none)'}`,
    `  report:            ${report.reportPath ? shown(report.reportPath) : '(none)'}`,
    `  took:              ${(report.durationMs / 1000).toFixed(1)} s (${formatCount(report.recordsPerSecond)} records/s)`,
  ].join('\n');
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
