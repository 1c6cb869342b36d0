// Auth0 → ZITADEL through the built CLI against the emulator with a quarter of the write calls
// failing: the bulk and the per-user pipeline, kill -9 twice then a re-run, `idflow verify` with
// real logins (and its failure when a user is missing), bisection of a refused batch, and no
// secret in any output.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { createServiceUser, type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli, startCli, waitFor, writePipeline } from './helpers.js';
import { type DeadLetter, emulatorUserIds, expectExactMigration, startFaultyEmulator, zitadelEnv } from './zitadel-support.js';

const USERS = Number(process.env.IDFLOW_E2E_ZITADEL_USERS ?? 20_000);
const temp = makeTempDir('idflow-zitadel-e2e-');
let generated: GeneratedExport;
const emulators: RunningEmulator[] = [];

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: USERS, seed: 7, formats: ['ndjson'] });
}, 120_000);
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

function pipelineEnv(emu: RunningEmulator, outDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return zitadelEnv(emu, generated, outDir, extra);
}

/** Runs the pipeline, killing it with SIGKILL twice mid-run (after a checkpoint), then to the end. */
async function runWithTwoKills(pipeline: string, env: NodeJS.ProcessEnv, args: string[], outDir: string) {
  const checkpoint = join(outDir, 'checkpoint.json');
  for (let kill = 0; kill < 2; kill++) {
    const before = existsSync(checkpoint) ? statSync(checkpoint).mtimeMs : 0;
    const running = startCli(['run', pipeline, ...args], { env });
    await waitFor(() => existsSync(checkpoint) && statSync(checkpoint).mtimeMs > before, 'a checkpoint', 120_000);
    running.child.kill('SIGKILL');
    const result = await running.done;
    expect(result.signal, result.stderr).toBe('SIGKILL');
  }
  return runCli(['run', pipeline, ...args], { env });
}

/** Every output file and stream of a run, to search for secrets. */
function allOutputs(outDir: string, streams: string[]): string {
  const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return [...streams, ...files.map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))].join('\n');
}

// The per-user calls (the v2 pipeline's, and the bulk import pipeline's for the users it sends
// through v2) run with a fixed concurrency here: under a steady share of random 429s (injected
// faults, not a rate limit) the adaptive rate can mistake them for a limit and slow the run down a
// lot. Adaptive mode is measured by test/bench/zitadel-sinks.mjs.
describe.each([
  { label: 'bulk import', file: 'auth0-to-zitadel.yaml', args: ['--set', 'sink.with.batchSize=250'], extra: { ZITADEL_CONCURRENCY: '16', ZITADEL_RATE_LIMIT: '0' } },
  { label: 'per-user v2', file: 'auth0-to-zitadel-v2.yaml', args: [], extra: { ZITADEL_CONCURRENCY: '32', ZITADEL_RATE_LIMIT: '0' } },
])('$label pipeline, a quarter of the calls failing', ({ file, args, extra }) => {
  const pipeline = join(repoRoot, 'pipelines', file);

  it(`migrates ${USERS} users exactly once, dead-letters the rest with reasons, and counts match the emulator`, async () => {
    const emu = await startFaultyEmulator();
    emulators.push(emu);
    const outDir = join(temp.dir, `${file}-once`);
    const env = pipelineEnv(emu, outDir, extra);
    const result = await runCli(['run', pipeline, ...args], { env });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const { letters } = await expectExactMigration(emu, generated.profiles.ndjson!, outDir);
    expect(emu.stats().faults.total).toBeGreaterThan(0);
    expect(letters.some((l) => /bcrypt cost 4/.test(l.reason))).toBe(true);
    expect(allOutputs(outDir, [result.stdout, result.stderr])).not.toContain(emu.pat);

    // verify: real logins pass…
    const ids = new Set(await emulatorUserIds(emu));
    const logins = generated.logins.filter((l) => ids.has(l.user_id)).slice(0, 4);
    expect(logins.length).toBeGreaterThan(0);
    const loginArgs = logins.flatMap((l) => ['--login', `${l.email}:${l.password}`]);
    const verified = await runCli(['verify', pipeline, ...loginArgs], { env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/0 missing, 0 different/);
    expect(verified.stdout).toMatch(new RegExp(`logins: ${logins.length} of ${logins.length} succeeded`));
    expect(verified.stdout + verified.stderr).not.toContain(logins[0].password);
    // …and a wrong password fails.
    const wrong = await runCli(['verify', pipeline, '--login', `${logins[0].email}:not-the-password`], { env });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/login failed/);
  }, 600_000);

  it('after kill -9 twice and a re-run, the result is the same', async () => {
    const emu = await startFaultyEmulator();
    emulators.push(emu);
    const outDir = join(temp.dir, `${file}-killed`);
    const env = pipelineEnv(emu, outDir, extra);
    const result = await runWithTwoKills(pipeline, env, args, outDir);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const { report } = await expectExactMigration(emu, generated.profiles.ndjson!, outDir);
    // The last run resumed from a checkpoint rather than starting over.
    expect(report.counts.resumedSkipped).toBeGreaterThan(0);
  }, 600_000);
});

describe('a service user key file (JWT profile) instead of a token', () => {
  it('authenticates the run and the verification', async () => {
    const emu = await startEmulator({ port: 0 });
    emulators.push(emu);
    const keyFile = join(temp.dir, 'service-user-key.json');
    await createServiceUser(emu, { keyFile });
    const outDir = join(temp.dir, 'key-file');
    const small = await generateAuth0Export({ dir: join(temp.dir, 'key-file-export'), users: 100, seed: 5, formats: ['ndjson'] });
    const env = { ...pipelineEnv(emu, outDir), ZITADEL_PAT: '', ZITADEL_KEY_FILE: keyFile, AUTH0_PROFILES: small.profiles.ndjson!, AUTH0_PASSWORDS: small.passwords };
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
    const result = await runCli(['run', pipeline], { env });
    expect(result.code, result.stderr).toBe(0);
    const users = await emulatorUserIds(emu);
    expect(users.length).toBeGreaterThan(90);
    const verified = await runCli(['verify', pipeline], { env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    // The key never shows: not in the output, not in the report.
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { key: string };
    const pemBody = key.key.split('\n')[1];
    expect(allOutputs(outDir, [result.stdout, result.stderr, verified.stdout, verified.stderr])).not.toContain(pemBody);
  }, 120_000);
});

describe('idflow verify', () => {
  it('fails with exit 1 and names the user when one is missing from ZITADEL', async () => {
    const db = join(temp.dir, 'verify-missing.sqlite');
    const pat = 'e2e-known-pat-0b7d2c41';
    let emu = await startFaultyEmulator(db, pat);
    const outDir = join(temp.dir, 'verify-missing');
    const small = await generateAuth0Export({ dir: join(temp.dir, 'small'), users: 200, seed: 3, formats: ['ndjson'] });
    const env = () => ({ ...pipelineEnv(emu, outDir), AUTH0_PROFILES: small.profiles.ndjson!, AUTH0_PASSWORDS: small.passwords });
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
    expect((await runCli(['run', pipeline], { env: env() })).code).toBe(0);
    const victim = (await emulatorUserIds(emu))[0];
    await emu.close();
    // Delete the user behind the emulator's back, as an admin could.
    const sqlite = createRequire(join(repoRoot, 'packages', 'zitadel-emulator', 'package.json'))('better-sqlite3');
    const handle = new sqlite(db);
    handle.prepare('DELETE FROM users WHERE id = ?').run(victim);
    handle.close();
    emu = await startFaultyEmulator(db, pat);
    emulators.push(emu);
    const verified = await runCli(['verify', pipeline], { env: env() });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`missing: ${victim}`);
    expect(verified.stdout).toMatch(/1 missing/);
  }, 300_000);
});

describe('a batch ZITADEL refuses as a whole', () => {
  it('is bisected: only the offending users are dead-lettered, with ZITADEL\'s message', async () => {
    const emu = await startFaultyEmulator();
    emulators.push(emu);
    const dir = join(temp.dir, 'bisect');
    const client = await emu.createServiceUser({ role: 'IAM_OWNER' });
    const records = Array.from({ length: 60 }, (_, i) => ({
      userId: `bisect|${i + 1}`,
      user: {
        userName: `bisect${i + 1}@example.com`,
        profile: { firstName: 'Bi', lastName: `Sect ${i + 1}`, ...(i === 17 ? { preferredLanguage: 'x'.repeat(12) } : {}) },
        email: { email: `bisect${i + 1}@example.com`, isEmailVerified: true },
        ...(i === 44 ? { phone: { phone: '0041 79 123' } } : {}),
      },
      metadata: [],
      state: 'USER_STATE_ACTIVE',
    }));
    // No validator in this pipeline: the records go to ZITADEL as they are.
    writeFileSync(join(temp.dir, 'bisect-records.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const variable = (name: string) => `"$${'{'}${name}}"`;
    const pipeline = writePipeline(temp.dir, 'bisect.yaml', [
      'version: 1',
      'name: bisect',
      'source: { use: ndjson, with: { path: bisect-records.ndjson } }',
      'sink:',
      '  use: zitadel-import',
      '  with:',
      `    url: ${variable('ZITADEL_URL')}`,
      `    orgId: ${variable('ZITADEL_ORG_ID')}`,
      `    auth: { clientCredentials: { clientId: ${variable('CLIENT_ID')}, clientSecret: ${variable('CLIENT_SECRET')} } }`,
      // Everything through the bulk import: silent onboarding would send these password-less users through v2.
      '    onboarding: zitadel',
      'dlq: { path: bisect/dead-letter.ndjson }',
    ]);
    const result = await runCli(['run', pipeline], {
      cwd: temp.dir,
      env: { ZITADEL_URL: emu.url, ZITADEL_ORG_ID: emu.orgId, CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret },
    });
    expect(result.code, result.stderr).toBe(0);
    const letters = readNdjson<DeadLetter>(join(dir, 'dead-letter.ndjson'));
    expect(letters.map((l) => l.origin.split(':').pop())).toEqual(['18', '45']);
    expect(letters[0].reason).toMatch(/ZITADEL refused the user: .*PreferredLanguage/i);
    expect(letters[1].reason).toMatch(/ZITADEL refused the user: .*Phone/i);
    expect(emu.stats().users).toBe(58);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.metrics['zitadel-import'].bisections).toBeGreaterThan(0);
    expect(allOutputs(dir, [result.stdout, result.stderr])).not.toContain(client.clientSecret);
  }, 120_000);
});
