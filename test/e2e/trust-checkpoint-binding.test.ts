// Issue 13 case 2: a rehearsal, then production with the same output folder. The checkpoint is
// bound to the target (URL, org) and to the settings: a run elsewhere or with other settings is
// refused (exit 2) saying what changed and what to do, instead of "already completed" or skipping
// the users the rehearsal delivered; tuning may change; the resume hint repeats the --set flags.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli, startCli, waitFor } from './helpers.js';
import { emulatorUserIds, expectExactMigration } from './zitadel-support.js';

const temp = makeTempDir('idflow-binding-e2e-');
const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
let generated: GeneratedExport;
const emulators: RunningEmulator[] = [];

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 3000, seed: 13, formats: ['ndjson'] });
}, 120_000);
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

/** An emulator whose writes cost a little, so a run lasts long enough to be interrupted. */
async function emulator(): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, perUserWriteCostMs: 2 });
  emulators.push(emu);
  return emu;
}

function env(emu: RunningEmulator, outDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
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

/** Starts a run and kills it (-9) once a checkpoint exists and some users are in the target. */
async function killMidRun(emu: RunningEmulator, outDir: string, args: string[] = []): Promise<void> {
  const running = startCli(['run', pipeline, ...args], { env: env(emu, outDir) });
  await waitFor(() => existsSync(join(outDir, 'checkpoint.json')) && emu.stats().users > 0, 'a checkpoint', 120_000);
  running.child.kill('SIGKILL');
  await running.done;
}

describe('a rehearsal, then production with the same OUT_DIR', () => {
  it('after a completed rehearsal, production is refused (exit 2) with what changed, not "already completed"', async () => {
    const rehearsal = await emulator();
    const production = await emulator();
    const outDir = join(temp.dir, 'completed');
    const first = await runCli(['run', pipeline], { env: env(rehearsal, outDir) });
    expect(first.code, first.stderr.slice(-2000)).toBe(0);

    const refused = await runCli(['run', pipeline], { env: env(production, outDir) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain('nothing to do');
    expect(refused.stderr).toContain(`checkpoint ${join(outDir, 'checkpoint.json')} belongs to another run (which completed); what changed:`);
    expect(refused.stderr).toContain(`  target url: ${rehearsal.url} → ${production.url}`);
    expect(refused.stderr).toContain(`  target orgId: ${rehearsal.orgId} → ${production.orgId}`);
    expect(refused.stderr).toMatch(/start over with --fresh .*another OUT_DIR/);
    expect(refused.stderr).not.toContain(production.pat);
    expect(production.stats().users).toBe(0);
  }, 300_000);

  it('after a partial rehearsal, production is refused too; --fresh then migrates every user exactly once', async () => {
    const rehearsal = await emulator();
    const production = await emulator();
    const outDir = join(temp.dir, 'partial');
    await killMidRun(rehearsal, outDir);

    const refused = await runCli(['run', pipeline], { env: env(production, outDir) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`  target url: ${rehearsal.url} → ${production.url}`);
    expect(production.stats().users).toBe(0);

    const fresh = await runCli(['run', pipeline, '--fresh'], { env: env(production, outDir) });
    expect(fresh.code, fresh.stderr.slice(-2000)).toBe(0);
    await expectExactMigration(production, generated.profiles.ndjson!, outDir);
    expect(await emulatorUserIds(production)).toHaveLength(production.stats().users);
  }, 300_000);

  it('refuses to resume with other settings (verifiers), accepts other tuning (batch size), and the resume hint repeats --set', async () => {
    const emu = await emulator();
    const outDir = join(temp.dir, 'settings');
    await killMidRun(emu, outDir, ['--set', 'sink.with.batchSize=100']);

    const verifiers = await runCli(['run', pipeline], { env: env(emu, outDir, { ZITADEL_VERIFIERS: 'bcrypt,pbkdf2' }) });
    expect(verifiers.code).toBe(2);
    expect(verifiers.stderr).toContain('  setting transforms.1.with.allow: "bcrypt" → "bcrypt,pbkdf2"');
    expect(verifiers.stderr).toContain('That run was started with: --set sink.with.batchSize=100');

    // Ctrl-C while resuming with another batch size (tuning: allowed): the hint repeats this run's flags.
    const before = statSync(join(outDir, 'checkpoint.json')).mtimeMs;
    const resumed = startCli(['run', pipeline, '--set', 'sink.with.batchSize=50'], { env: env(emu, outDir) });
    await waitFor(() => statSync(join(outDir, 'checkpoint.json')).mtimeMs > before, 'a new checkpoint', 120_000);
    resumed.child.kill('SIGINT');
    const interrupted = await resumed.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(`run "idflow run ${pipeline} --set sink.with.batchSize=50" again to resume`);

    const last = await runCli(['run', pipeline], { env: env(emu, outDir) });
    expect(last.code, last.stderr.slice(-2000)).toBe(0);
    await expectExactMigration(emu, generated.profiles.ndjson!, outDir);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as { resumedFrom?: unknown };
    expect(report.resumedFrom).toBeDefined();
  }, 300_000);
});
