// Issue 13 case 3, the engine's side: the sink is preflighted before the source is read (a failure
// ends the run at once, exit 1, with a report), and when the target goes away mid-run the circuit
// breaker stops the run (exit 1, checkpoint saved) after `timeouts.targetUnavailable`; the users
// it never took are not final, and once it is back a plain re-run delivers them, each exactly once.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, overHttp, startEmulatorProcess } from './emulator-process.js';
import { makeTempDir, readNdjson, repoRoot, runCli, startCli, userLines, waitFor, writeLines, writePipeline } from './helpers.js';
import { type DeadLetter, emulatorUserIds, expectExactMigration } from './zitadel-support.js';

const temp = makeTempDir('idflow-unavailable-e2e-');
const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
let generated: GeneratedExport;
const emulators: EmulatorProcess[] = [];

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 4000, seed: 31, formats: ['ndjson'] });
}, 120_000);
afterAll(async () => {
  for (const emulator of emulators) if (emulator.running.child.exitCode === null) await emulator.stop();
  temp.cleanup();
});

interface ReportFile {
  status: string;
  error?: { code: string; message: string };
  counts: { read: number; undeliverable: number; written: number };
  undeliverableByReason: { [reason: string]: number };
}

describe('the target goes away in the middle of a run', () => {
  it('stops within timeouts.targetUnavailable (exit 1, checkpoint kept); back again, a plain re-run delivers the rest exactly once', async () => {
    const db = join(temp.dir, 'zitadel.sqlite');
    const identity = { db, pat: 'e2e-unavailable-pat-5d1c', org: '300000000000000031' };
    let emulator = await startEmulatorProcess({ ...identity, writeCostMs: 2 });
    emulators.push(emulator);
    const outDir = join(temp.dir, 'out');
    const env = () => ({
      AUTH0_PROFILES: generated.profiles.ndjson!,
      AUTH0_PASSWORDS: generated.passwords,
      ZITADEL_URL: emulator.url,
      ZITADEL_PAT: emulator.pat,
      ZITADEL_ORG_ID: emulator.orgId,
      OUT_DIR: outDir,
    });
    // Small batches and a short sink retry budget, so that the stop comes soon after the target goes.
    const tuning = ['--set', 'sink.with.batchSize=100', '--set', 'sink.with.retry.maxElapsed=1s', '--set', 'sink.with.retry.attempts=3'];
    const running = startCli(['run', pipeline, ...tuning, '--set', 'timeouts.targetUnavailable=3s'], { env: env() });
    await waitFor(() => existsSync(join(outDir, 'checkpoint.json')), 'a checkpoint', 120_000);
    await emulator.kill();

    const stopped = await running.done;
    expect(stopped.code, stopped.stderr.slice(-3000)).toBe(1);
    expect(stopped.stderr).toMatch(/stopped: the target of sink zitadel-import has taken nothing for \S+ \(timeouts\.targetUnavailable: 3s\); last answer: .+\. The users it did not take stay unacknowledged in the checkpoint/);
    expect(stopped.stderr).toContain(`To deliver them: idflow run ${pipeline} --set sink.with.batchSize=100`);
    expect(stopped.stdout).toMatch(/undeliverable\s+[1-9][\d,]*\s+\(not final: the next run sends them\)/);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as ReportFile;
    expect(report).toMatchObject({ status: 'failed', error: { code: 'TARGET_UNAVAILABLE' } });
    expect(report.counts.undeliverable).toBeGreaterThan(0);
    // Bounded: it did not go through the whole export turning every user into a dead letter.
    expect(report.counts.read).toBeLessThan(4000);
    expect(readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).filter((l) => /unavailable|ECONNREFUSED/i.test(l.reason))).toEqual([]);
    expect(JSON.parse(readFileSync(join(outDir, 'checkpoint.json'), 'utf8'))).toMatchObject({ completed: false });

    // The target is back (same port, same database): a plain re-run, no flags.
    emulator = await startEmulatorProcess({ ...identity, port: Number(new URL(emulator.url).port) });
    emulators.push(emulator);
    const rerun = await runCli(['run', pipeline], { env: env() });
    expect(rerun.code, rerun.stderr.slice(-3000)).toBe(0);
    const ids = await emulatorUserIds(overHttp(emulator, 0));
    await expectExactMigration(overHttp(emulator, ids.length), generated.profiles.ndjson!, outDir);
  }, 600_000);
});

describe('preflight', () => {
  it('fails in seconds, before the source is read or anything is opened for writing, with a report (exit 1)', async () => {
    const dir = join(temp.dir, 'preflight');
    writeLines(join(temp.dir, 'preflight-in.ndjson'), userLines(50));
    writePipeline(temp.dir, 'preflight.yaml', [
      'version: 1',
      'source: { use: ndjson, with: { path: preflight-in.ndjson } }',
      'sink: { use: ndjson, with: { path: preflight/blocked/users.ndjson } }',
      'dlq: { path: preflight/dead-letter.ndjson }',
      'checkpoint: { path: preflight/checkpoint.json }',
    ]);
    // A file where the output's folder should be.
    writeFileSync(join(temp.dir, 'preflight-blocked'), '');
    const result = await runCli(['run', 'preflight.yaml', '--set', 'sink.with.path=preflight-blocked/users.ndjson'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`idflow: cannot write preflight-blocked/users.ndjson (${join(temp.dir, 'preflight-blocked', 'users.ndjson')}): ${join(temp.dir, 'preflight-blocked')} is a file, not a folder`);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportFile;
    expect(report).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_UNUSABLE' }, counts: { read: 0 } });
    expect(existsSync(join(dir, 'dead-letter.ndjson'))).toBe(false);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(false);
  });
});
