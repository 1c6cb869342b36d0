// `idflow demo`: a real Auth0 → ZITADEL migration on this machine, start to finish. It generates a
// synthetic Auth0 export (real hashes of known passwords, plus users that must be rejected), starts
// the embedded ZITADEL emulator, runs pipelines/auth0-to-zitadel.yaml against it, verifies the
// result with real logins, prints what happened — how many users, through which API, in which
// state, and the messages ZITADEL would send them (none: the default onboarding is silent) — and
// stops the emulator. With --from-api the profiles come from the Auth0 Management API stand-in
// instead, through its users-export job (pipelines/auth0-api-to-zitadel.yaml), the password export
// beside it.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, IdflowError, type RunReport } from '@idflow/engine';
import type { GeneratedExport } from '@idflow/fixtures';
import type { EmulatorStatsSnapshot } from '@idflow/zitadel-emulator';
import type { Argv, CommandModule } from 'yargs';
import { formatCount } from '../run/format-count.js';

interface DemoArgs {
  users: number;
  out: string;
  seed: number;
  logins: number;
  fromApi: boolean;
}

/** Where the demo's Auth0 users come from: files on disk, or the Management API stand-in. */
interface DemoSource {
  generated: GeneratedExport;
  pipeline: string;
  env: Record<string, string>;
  /** Extra `idflow run` arguments. */
  runArgs: string[];
  /** A recap line on how the export was made. */
  recap(report: RunReport): string | undefined;
  close(): Promise<void>;
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
      .option('logins', { type: 'number', default: 25, describe: 'Users whose passwords are checked by real logins' })
      .option('from-api', {
        type: 'boolean',
        default: false,
        describe: 'Export the profiles through the Auth0 Management API stand-in (token, users-export job, download) instead of reading a file',
      }) as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    await runDemo(args);
  },
};
export default demoCommand;

async function runDemo(args: DemoArgs): Promise<void> {
  if (!Number.isInteger(args.users) || args.users < 1) throw new IdflowError('--users must be a positive integer', 'USAGE', ExitCode.config);
  const out = resolve(args.out);
  const exportDir = join(out, 'auth0-export');
  const migrationDir = join(out, 'migration');
  await rm(out, { recursive: true, force: true });

  const { startEmulator } = await import('@idflow/zitadel-emulator');
  const source = args.fromApi ? await standInSource(args, exportDir) : await fileSource(args, exportDir);
  try {
    await migrateAndVerify(args, source, out, migrationDir, startEmulator);
  } finally {
    await source.close();
  }
}

/** Steps 2–4: the ZITADEL emulator, the run, the verification with real logins, the recap. */
async function migrateAndVerify(
  args: DemoArgs,
  source: DemoSource,
  out: string,
  migrationDir: string,
  startEmulator: typeof import('@idflow/zitadel-emulator').startEmulator,
): Promise<void> {
  const { main } = await import('../main.js');
  const { generated, pipeline } = source;
  say('2/4 Starting the embedded ZITADEL emulator');
  const emulator = await startEmulator({ port: 0, db: join(out, 'zitadel-emulator.sqlite'), verifiers: [...DEMO_VERIFIERS] });
  try {
    say(`    ${emulator.url} (org ${emulator.orgId}; verifiers: ${DEMO_VERIFIERS.join(', ')})`);
    const env = {
      ...source.env,
      ZITADEL_URL: emulator.url,
      ZITADEL_PAT: emulator.pat,
      ZITADEL_ORG_ID: emulator.orgId,
      ZITADEL_VERIFIERS: DEMO_VERIFIERS.join(','),
      // The embedded emulator has no rate limit: the users sent through v2 need no cap.
      ZITADEL_RATE_LIMIT: '0',
      OUT_DIR: migrationDir,
    };
    Object.assign(process.env, env);

    say(`3/4 Migrating: idflow run ${shown(pipeline)}`);
    const runExit = await main(['run', pipeline, '--fresh', ...source.runArgs]);
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
    say(recap(report, stats, sample.length, verifyExit === 0, source.recap(report)));
    if (runExit !== ExitCode.ok || verifyExit !== ExitCode.ok) {
      throw new IdflowError(`demo failed: run exited ${runExit}, verify exited ${verifyExit}`, 'DEMO_FAILED', ExitCode.incomplete);
    }
  } finally {
    await emulator.close();
  }
}

/** The synthetic export as files: gzip NDJSON profiles and the password export. */
async function fileSource(args: DemoArgs, exportDir: string): Promise<DemoSource> {
  say(`1/4 Generating a synthetic Auth0 export of ${formatCount(args.users)} users in ${shown(exportDir)}`);
  // Loaded here, not at startup: every other command would pay for it.
  const { generateAuth0Export } = await import('@idflow/fixtures');
  const generated = await generateAuth0Export({ dir: exportDir, users: args.users, seed: args.seed, formats: ['ndjson'], gzip: true });
  return {
    generated,
    pipeline: join(pipelinesDir, 'auth0-to-zitadel.yaml'),
    env: { AUTH0_PROFILES: generated.profiles.ndjson as string, AUTH0_PASSWORDS: generated.passwords },
    runArgs: [],
    recap: () => undefined,
    close: async () => {},
  };
}

/** The synthetic users behind the Auth0 Management API stand-in; the pipeline runs the export job itself. */
async function standInSource(args: DemoArgs, exportDir: string): Promise<DemoSource> {
  say(`1/4 Starting the Auth0 Management API stand-in with ${formatCount(args.users)} synthetic users (password export in ${shown(exportDir)})`);
  const { startAuth0StandIn } = await import('@idflow/zitadel-emulator');
  const standIn = await startAuth0StandIn({ users: args.users, seed: args.seed, dir: exportDir });
  say(`    ${standIn.url} (tenant ${standIn.tenant}; the pipeline gets a token, runs the users-export job and downloads its file)`);
  return {
    generated: standIn.generated,
    pipeline: join(pipelinesDir, 'auth0-api-to-zitadel.yaml'),
    env: { AUTH0_DOMAIN: standIn.url, AUTH0_CLIENT_ID: standIn.clientId, AUTH0_CLIENT_SECRET: standIn.clientSecret, AUTH0_PASSWORDS: standIn.passwordsPath },
    // A stand-in job finishes in moments: no need to wait a second between its first status reads.
    runArgs: ['--set', 'source.with.poll.initialDelay=200ms'],
    recap(report) {
      const stats = standIn.stats();
      const users = report.metrics['auth0-management']?.['export.users'] ?? 0;
      return `  exported:          ${formatCount(users)} users by ${stats.jobsCreated} Auth0 export job (${stats.jobStatusReads} status reads, ${stats.downloads} download)`;
    },
    close: () => standIn.close(),
  };
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

function recap(report: RunReport, stats: EmulatorStatsSnapshot, logins: number, verified: boolean, exported: string | undefined): string {
  const c = report.counts;
  const sent = stats.notifications;
  const reasons = Object.entries(report.rejectedByReason)
    .flatMap(([stage, byReason]) => Object.entries(byReason).map(([reason, n]) => ({ stage, reason, n })))
    .sort((a, b) => b.n - a.n)
    .map(({ stage, reason, n }) => `      ${String(n).padStart(6)}  ${reason}  (${stage})`);
  return [
    'Demo result',
    ...(exported ? [exported] : []),
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
    // The page to open: a file URL, so a terminal makes it a link.
    `  report (open it):  ${report.htmlReportPath ? pathToFileURL(report.htmlReportPath).href : '(none)'}`,
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
