// Issue 17 "what idflow must do": through the built CLI against the emulator, which follows
// ZITADEL's commands (the bulk import makes users INITIAL by Human.IsInitialState and creates init
// codes; AddHumanUser never does). With the shipped pipelines' default (`onboarding: silent`) every
// user with a migrated hash ends ACTIVE (locked when blocked in Auth0) and logs in with its old
// password, no code is created, no e-mail or SMS would be sent, and email_verified stays what
// Auth0 said. `ZITADEL_ONBOARDING=zitadel` opts into ZITADEL's own onboarding, and `idflow verify`
// then fails on every user with a migrated hash left INITIAL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli } from './helpers.js';
import { type ListedUser, type RunReportFile, emulatorUsers, zitadelEnv } from './zitadel-support.js';

const USERS = 1500;
const verifiers = ['bcrypt', 'pbkdf2', 'md5plain'] as const;
const temp = makeTempDir('idflow-onboarding-e2e-');
const emulators: RunningEmulator[] = [];
let generated: GeneratedExport;
/** Auth0's email_verified and blocked flags by user_id, from the export. */
const auth0 = new Map<string, { emailVerified: boolean; blocked: boolean }>();

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: USERS, seed: 17, formats: ['ndjson'] });
  for (const line of readFileSync(generated.profiles.ndjson!, 'utf8').split('\n')) {
    try {
      const profile = JSON.parse(line) as { user_id: string; email_verified?: boolean; blocked?: boolean };
      auth0.set(profile.user_id, { emailVerified: profile.email_verified === true, blocked: profile.blocked === true });
    } catch {
      // malformed lines are the source's business
    }
  }
}, 120_000);
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

async function migrate(file: string, onboarding?: string, args: string[] = []) {
  const emu = await startEmulator({ port: 0, verifiers: [...verifiers] });
  emulators.push(emu);
  const outDir = join(temp.dir, `${file}-${onboarding ?? 'default'}-${args.length}`);
  const env = zitadelEnv(emu, generated, outDir, { ZITADEL_VERIFIERS: verifiers.join(','), ZITADEL_RATE_LIMIT: '0', ...(onboarding ? { ZITADEL_ONBOARDING: onboarding } : {}) });
  const pipeline = join(repoRoot, 'pipelines', file);
  const result = await runCli(['run', pipeline, ...args], { env });
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReportFile;
  return { emu, env, pipeline, result, report, users: await emulatorUsers(emu) };
}

/** Known logins of migrated users whose Auth0 e-mail was not verified (the bulk import would have made them INITIAL). */
function unverifiedLogins(users: ListedUser[], blocked = false) {
  const ids = new Set(users.map((u) => u.userId));
  return generated.logins.filter((l) => ids.has(l.user_id) && auth0.get(l.user_id)?.emailVerified === false && auth0.get(l.user_id)?.blocked === blocked);
}

describe.each([
  { label: 'bulk import', file: 'auth0-to-zitadel.yaml', sink: 'zitadel-import' },
  { label: 'per-user v2', file: 'auth0-to-zitadel-v2.yaml', sink: 'zitadel-users' },
])('$label pipeline, default onboarding (silent)', ({ file, sink }) => {
  let run: Awaited<ReturnType<typeof migrate>>;
  beforeAll(async () => {
    run = await migrate(file);
  }, 600_000);

  it('migrates every user ACTIVE (locked when blocked in Auth0): none INITIAL, no code, no message', () => {
    expect(run.result.code, run.result.stderr.slice(-2000)).toBe(0);
    expect(run.users.length).toBe(run.report.counts.written);
    const states = run.users.map((u) => [u.userId, u.state, auth0.get(u.userId)?.blocked ? 'USER_STATE_LOCKED' : 'USER_STATE_ACTIVE']);
    expect(states.filter(([, state, expected]) => state !== expected)).toEqual([]);
    expect(run.emu.stats().notifications).toEqual({ initEmails: 0, verificationEmails: 0, verificationSms: 0 });
    // The sink's own account of it, in the report.
    const metrics = run.report.metrics[sink];
    expect(metrics['state.initial']).toBeUndefined();
    expect(metrics['state.active'] + metrics['state.locked']).toBe(run.report.counts.written);
    expect(Object.keys(metrics).filter((name) => name.startsWith('notifications.'))).toEqual([]);
  });

  it('keeps email_verified as Auth0 had it, for every user', () => {
    const differing = run.users.filter((u) => (u.human?.email?.isVerified === true) !== auth0.get(u.userId)?.emailVerified);
    expect(differing.map((u) => u.userId)).toEqual([]);
    expect(run.users.some((u) => u.human?.email?.isVerified !== true)).toBe(true);
  });

  it('counts every user written without a hash, by cause', () => {
    const metrics = run.report.metrics[sink];
    const social = (generated.expected.byKind.social?.length ?? 0) + (generated.expected.byKind['social-multi']?.length ?? 0);
    expect(metrics['written.without-password.social']).toBe(social);
    expect(metrics['written.without-password.passwordless']).toBeGreaterThan(0);
    expect(metrics['written.without-password.no-hash-in-export']).toBeGreaterThan(0);
  });

  it('idflow verify shows the states and no message, and users with an unverified e-mail log in with their old password, no code asked', async () => {
    const logins = unverifiedLogins(run.users).slice(0, 5);
    expect(logins.length).toBeGreaterThan(0);
    const verified = await runCli(['verify', run.pipeline, ...logins.flatMap((l) => ['--login', `${l.email}:${l.password}`])], { env: run.env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/0 missing, 0 different, 0 in a wrong state/);
    expect(verified.stdout).toMatch(/states: [\d,]+ active, 0 initial, [1-9][\d,]* locked, 0 inactive/);
    expect(verified.stdout).toContain('0 init e-mails, 0 verification e-mails, 0 verification SMS');
    expect(verified.stdout).toContain(`logins: ${logins.length} of ${logins.length} succeeded`);
  });

  it('idflow verify fails, naming the user, once a user blocked in Auth0 is unlocked in ZITADEL (its lock restored after)', async () => {
    const blocked = run.users.find((u) => auth0.get(u.userId)?.blocked);
    expect(blocked, 'the export has a blocked user').toBeDefined();
    const stateCall = (action: 'lock' | 'unlock') =>
      fetch(`${run.emu.url}/v2/users/${encodeURIComponent(blocked!.userId)}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${run.emu.pat}`, 'content-type': 'application/json' },
        body: '{}',
      });
    // UnlockUser, the real v2 route (user_v2.go UnlockUserV2): LOCKED → ACTIVE.
    expect((await stateCall('unlock')).status).toBe(200);
    try {
      const verified = await runCli(['verify', run.pipeline], { env: run.env });
      expect(verified.code, verified.stdout + verified.stderr).toBe(1);
      expect(verified.stdout).toMatch(/0 missing, 0 different, 1 in a wrong state/);
      const userId = blocked!.userId.replace(/[|.*+?^${}()[\]\\]/g, '\\$&');
      expect(verified.stdout).toMatch(new RegExp(`wrong state: ${userId} \\(\\S+\\): blocked in Auth0 but ACTIVE in ZITADEL: it can log in`));
      expect(verified.stdout).toContain('verify: FAILED');
    } finally {
      expect((await stateCall('lock')).status).toBe(200);
    }
  });
});

describe('users written without a password, by cause (issue 13)', () => {
  it('a hash refused by policy (drop-password) is counted as hash-refused, in the report and the summary', async () => {
    const run = await migrate('auth0-to-zitadel.yaml', undefined, ['--set', 'transforms.1.with.onInvalid=drop-password']);
    expect(run.result.code, run.result.stderr.slice(-2000)).toBe(0);
    const weak = generated.expected.byKind['bcrypt-4'] ?? [];
    expect(weak.length).toBeGreaterThan(0);
    expect(run.report.metrics['zitadel-import']['written.without-password.hash-refused']).toBe(weak.length);
    // The weak-hash users have no password now: active through v2, with nothing sent.
    expect(run.users.filter((u) => weak.includes(u.userId)).map((u) => u.state)).toEqual(weak.map((id) => (auth0.get(id)?.blocked ? 'USER_STATE_LOCKED' : 'USER_STATE_ACTIVE')));
    expect(`${run.result.stdout}${run.result.stderr}`).toMatch(new RegExp(`without a password\\s+[\\d,]+\\s+\\(.*hash-refused ${weak.length}\\b`));
  }, 600_000);
});

describe('ZITADEL_ONBOARDING=zitadel (opt-in): ZITADEL\'s own onboarding through the bulk import', () => {
  it('leaves users with a migrated hash INITIAL with init codes, and idflow verify fails on each', async () => {
    const run = await migrate('auth0-to-zitadel.yaml', 'zitadel');
    expect(run.result.code, run.result.stderr.slice(-2000)).toBe(0);
    const initial = run.users.filter((u) => u.state === 'USER_STATE_INITIAL');
    expect(initial.length).toBeGreaterThan(0);
    // Blocked users get an init code too, under their lock: the sink predicted every one.
    expect(run.emu.stats().notifications.initEmails).toBe(run.report.metrics['zitadel-import']['notifications.init-email']);
    expect(run.emu.stats().notifications.initEmails).toBeGreaterThanOrEqual(initial.length);
    expect(run.report.metrics['zitadel-import']['state.initial']).toBe(initial.length);
    const verified = await runCli(['verify', run.pipeline], { env: run.env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/wrong state: \S+ \(\S+\): INITIAL although its password hash was migrated: the login will ask for an init code/);
    expect(verified.stdout).toMatch(new RegExp(`${initial.length} initial`));
  }, 600_000);
});
