// `idflow retry` through the built CLI. Against the emulator: a migration whose pbkdf2 and md5
// users were refused (the target had only bcrypt), the emulator restarted with those verifiers on,
// then `retry --reason pbkdf2` delivers exactly the pbkdf2 users, who log in with their password;
// the same retry again does nothing; a full retry delivers the md5 users and refuses the rest again
// into its own dead-letter file. On files: a retry after fixing the pipeline, with the sink's file
// output redirected into the retry's folder, source-refused lines counted as not replayable, and
// an interrupted retry resumed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '@idflow/engine';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, overHttp, startEmulatorProcess } from './emulator-process.js';
import { makeTempDir, readNdjson, repoRoot, runCli, writeLines, writePipeline } from './helpers.js';
import { emulatorUserIds } from './zitadel-support.js';

interface DeadLetter {
  stage: string;
  reason: string;
  origin: string;
  record: { profile?: { user_id: string; email?: string } } & { [key: string]: unknown };
}

type Report = Pick<RunReport, 'status' | 'counts' | 'rejectedByReason' | 'retry'>;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('idflow retry against the emulator: refused hashes delivered once the verifier is on', () => {
  const temp = makeTempDir('idflow-retry-e2e-');
  const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
  const pat = 'e2e-retry-pat-5c1f9a27';
  const org = '300000000000000001';
  const outDir = join(temp.dir, 'out');
  let generated: GeneratedExport;
  let emulator: EmulatorProcess | undefined;

  beforeAll(async () => {
    generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 1500, seed: 11, formats: ['ndjson'] });
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
    temp.cleanup();
  });

  const env = (verifiers?: string): NodeJS.ProcessEnv => ({
    AUTH0_PROFILES: generated.profiles.ndjson!,
    AUTH0_PASSWORDS: generated.passwords,
    ZITADEL_URL: emulator!.url,
    ZITADEL_PAT: pat,
    ZITADEL_ORG_ID: org,
    OUT_DIR: outDir,
    ...(verifiers ? { ZITADEL_VERIFIERS: verifiers } : {}),
  });

  /** A real login through the emulator's Session API (POST /v2/sessions): true when it succeeds. */
  async function logsIn(userId: string, password: string): Promise<boolean> {
    const response = await fetch(`${emulator!.url}/v2/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ checks: { user: { userId }, password: { password } } }),
    });
    return response.status === 200 || response.status === 201;
  }

  const idsIn = async () => new Set(await emulatorUserIds(overHttp(emulator!, 0)));
  const userIdsOf = (letters: DeadLetter[]) => letters.map((letter) => letter.record.profile!.user_id).sort();

  it('retries the dead letters by reason, then all of them; each retry has its own checkpoint, report and dead letters', async () => {
    const db = join(temp.dir, 'zitadel.sqlite');
    emulator = await startEmulatorProcess({ db, pat, org });
    const run = await runCli(['run', pipeline], { env: env() });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const from = join(outDir, 'dead-letter.ndjson');
    const letters = readNdjson<DeadLetter>(from);
    const pbkdf2 = letters.filter((letter) => /^pbkdf2-phc hash converts only to pbkdf2/.test(letter.reason));
    const md5 = letters.filter((letter) => /^md5-hex hash converts only to md5plain/.test(letter.reason));
    const bySource = letters.filter((letter) => letter.stage === 'source');
    expect(pbkdf2.length).toBeGreaterThan(0);
    expect(md5.length).toBeGreaterThan(0);
    const original = readJson<Report>(join(outDir, 'report.json'));
    const before = await idsIn();
    expect(before.size).toBe(original.counts.written);
    for (const id of [...userIdsOf(pbkdf2), ...userIdsOf(md5)]) expect(before.has(id)).toBe(false);

    // The operator enables the verifiers on ZITADEL (same URL: the retry must write where the run did).
    await emulator.stop();
    emulator = await startEmulatorProcess({ db, pat, org, port: Number(new URL(emulator.url).port), verifiers: 'bcrypt,pbkdf2,md5plain' });
    const verifiers = 'bcrypt,pbkdf2,md5plain';

    // 1. Only the pbkdf2 users.
    const first = await runCli(['retry', pipeline, '--from', from, '--reason', 'pbkdf2'], { env: env(verifiers) });
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const firstDir = join(outDir, 'dead-letter.retry-pbkdf2-c6130b');
    expect(first.stderr).toContain(`retrying ${pbkdf2.length} of the ${letters.length} dead letters of ${from}, ${pbkdf2.length} selected by --reason; writing to ${firstDir}`);
    const afterFirst = await idsIn();
    expect([...afterFirst].filter((id) => !before.has(id)).sort()).toEqual(userIdsOf(pbkdf2));
    const firstReport = readJson<Report>(join(firstDir, 'report.json'));
    expect(firstReport).toMatchObject({ status: 'completed', counts: { read: pbkdf2.length, written: pbkdf2.length, rejected: 0 } });
    expect(firstReport.retry).toMatchObject({ from, reason: 'pbkdf2', deadLetters: letters.length, selected: pbkdf2.length, replayable: pbkdf2.length, amends: join(outDir, 'report.json') });
    const o = original.counts;
    expect(firstReport.retry?.combined?.counts).toEqual({
      read: o.read,
      written: o.written + pbkdf2.length,
      present: o.present,
      skipped: o.skipped,
      rejected: o.rejected - pbkdf2.length,
      undeliverable: o.undeliverable,
      auxiliaryRejected: o.auxiliaryRejected,
    });
    expect(readFileSync(join(firstDir, 'dead-letter.ndjson'), 'utf8')).toBe('');
    expect(first.stdout).toMatch(new RegExp(`with the run it amends \\(${join(outDir, 'report.json')}\\), the migration stands at:`));

    // They log in with the password they had in Auth0.
    const pbkdf2Logins = generated.logins.filter((login) => login.hashKind === 'pbkdf2-sha512');
    const md5Logins = generated.logins.filter((login) => login.hashKind === 'md5-hex');
    expect(pbkdf2Logins.length).toBeGreaterThan(0);
    expect(md5Logins.length).toBeGreaterThan(0);
    for (const login of pbkdf2Logins) expect(await logsIn(login.user_id, login.password)).toBe(true);
    expect(await logsIn(pbkdf2Logins[0].user_id, 'not-the-password')).toBe(false);
    for (const login of md5Logins) expect(await logsIn(login.user_id, login.password)).toBe(false); // not migrated yet

    // 2. The same retry again: already completed, nothing sent.
    const again = await runCli(['retry', pipeline, '--from', from, '--reason', 'pbkdf2'], { env: env(verifiers) });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already completed .*nothing to do/);
    expect((await idsIn()).size).toBe(afterFirst.size);

    // 3. Every dead letter: the md5 users arrive, the pbkdf2 ones are already there, the rest is
    // refused again (into the retry's own dead-letter file); the source's refusals are not replayed.
    const all = await runCli(['retry', pipeline, '--from', from], { env: env(verifiers) });
    expect(all.code, all.stderr.slice(-2000)).toBe(0);
    const allDir = join(outDir, 'dead-letter.retry');
    const replayable = letters.length - bySource.length;
    expect(all.stderr).toContain(`${bySource.length} of the ${letters.length} selected dead letters cannot be replayed: they were refused by the source itself`);
    const afterEvery = await idsIn();
    expect([...afterEvery].filter((id) => !afterFirst.has(id)).sort()).toEqual(userIdsOf(md5));
    for (const login of md5Logins) expect(await logsIn(login.user_id, login.password)).toBe(true);
    const allReport = readJson<Report>(join(allDir, 'report.json'));
    const refusedAgain = readNdjson<DeadLetter>(join(allDir, 'dead-letter.ndjson'));
    expect(allReport.counts).toMatchObject({ read: replayable, written: md5.length, present: pbkdf2.length, rejected: refusedAgain.length });
    expect(refusedAgain.length).toBe(replayable - md5.length - pbkdf2.length);
    // Refused again from the same input lines, with the source's records kept for the next retry.
    const originOf = new Map(letters.map((letter) => [letter.origin, letter]));
    for (const letter of refusedAgain) expect(letter.record).toEqual(originOf.get(letter.origin)?.record);
    expect(allReport.retry).toMatchObject({ deadLetters: letters.length, selected: letters.length, replayable, notReplayable: bySource.length });
    expect(allReport.retry?.combined?.counts).toMatchObject({
      read: original.counts.read,
      written: original.counts.written + md5.length,
      present: pbkdf2.length,
      rejected: original.counts.rejected - md5.length - pbkdf2.length,
    });
    expect(all.stdout).toMatch(new RegExp(`not replayable\\s+${bySource.length}  \\(refused by the source: fix the input and run the pipeline again\\)`));
    expect(existsSync(join(allDir, 'checkpoint.json'))).toBe(true);

    // verify now expects the retried users too (they are dead letters no more) and logs them in.
    const loginArgs = [pbkdf2Logins[0], md5Logins[0]].flatMap((login) => ['--login', `${login.email}:${login.password}`]);
    const verified = await runCli(['verify', pipeline, ...loginArgs], { env: env(verifiers) });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/0 missing, 0 different/);
    expect(verified.stdout).toMatch(/logins: 2 of 2 succeeded/);
  }, 300_000);
});

describe('idflow retry on files: fix the pipeline, retry, outputs of their own', () => {
  const temp = makeTempDir('idflow-retry-files-e2e-');
  afterAll(() => temp.cleanup());
  const USERS = 400;
  // `active` is true, false, or — the data problem — the text "yes" (every 10th from the 3rd).
  const activeOf = (i: number) => (i % 10 === 3 ? 'yes' : i % 3 !== 0);
  const MALFORMED_LINE = 50;

  function writePipelineWith(condition: string, throttle = false): void {
    writePipeline(temp.dir, 'copy.yaml', [
      'version: 1',
      'name: active-users',
      ...(throttle ? [`plugins: [${JSON.stringify(join(repoRoot, 'test', 'e2e', 'pipelines', 'throttle.mjs'))}]`] : []),
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'transforms:',
      `  - { use: filter, with: { condition: '${condition}', reason: inactive } }`,
      ...(throttle ? ['  - { use: e2e-throttle, with: { every: 1, delayMs: 150 } }'] : []),
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
      'checkpoint: { path: out/checkpoint.json }',
    ]);
  }

  it('replays the refused records through the fixed pipeline into its own folder; a killed retry resumes exactly once', async () => {
    const lines = Array.from({ length: USERS }, (_, i) => JSON.stringify({ id: `u${i + 1}`, email: `user${i + 1}@example.com`, active: activeOf(i + 1) }));
    lines[MALFORMED_LINE - 1] = '{"id": "u50", "active": ';
    writeLines(join(temp.dir, 'in.ndjson'), lines);
    writePipelineWith('active');
    const run = await runCli(['run', 'copy.yaml'], { cwd: temp.dir });
    expect(run.code, run.stderr).toBe(0);
    const ids = Array.from({ length: USERS }, (_, i) => i + 1).filter((n) => n !== MALFORMED_LINE);
    const undecided = ids.filter((n) => activeOf(n) === 'yes');
    const letters = readNdjson<DeadLetter>(join(temp.dir, 'out', 'dead-letter.ndjson'));
    expect(letters.map((letter) => letter.origin)).toEqual(
      [...undecided, MALFORMED_LINE].sort((a, b) => a - b).map((n) => `in.ndjson:${n}`),
    );
    expect(letters.find((letter) => letter.stage === 'transform:filter')?.reason).toBe('filter: the condition gave a string, not true or false: active');
    const runOutput = readFileSync(join(temp.dir, 'out', 'users.ndjson'), 'utf8');

    // The fix: "yes" means active. The retry is slowed down so it can be killed in the middle.
    writePipelineWith('equals(active, true, "yes")', true);
    const retryDir = join(temp.dir, 'out', 'dead-letter.retry');
    const { startCli, waitFor } = await import('./helpers.js');
    const running = startCli(['retry', 'copy.yaml', '--from', 'out/dead-letter.ndjson'], { cwd: temp.dir });
    await waitFor(() => existsSync(join(retryDir, 'checkpoint.json')) && readJson<{ watermark: number }>(join(retryDir, 'checkpoint.json')).watermark > 0, 'a retry checkpoint', 60_000);
    running.child.kill('SIGKILL');
    expect((await running.done).signal).toBe('SIGKILL');

    const resumed = await runCli(['retry', 'copy.yaml', '--from', 'out/dead-letter.ndjson'], { cwd: temp.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after in\.ndjson:\d+/);
    expect(resumed.stderr).toContain(`1 of the ${letters.length} selected dead letters cannot be replayed: they were refused by the source itself (source: malformed JSON`);
    // Every fixed user exactly once, in the retry's own output; the run's output is untouched.
    expect(readNdjson<{ id: string }>(join(retryDir, 'users.ndjson')).map((user) => user.id)).toEqual(undecided.map((n) => `u${n}`));
    expect(readFileSync(join(temp.dir, 'out', 'users.ndjson'), 'utf8')).toBe(runOutput);
    expect(readFileSync(join(retryDir, 'dead-letter.ndjson'), 'utf8')).toBe('');
    const report = readJson<Report>(join(retryDir, 'report.json'));
    expect(report).toMatchObject({ status: 'completed', counts: { read: undecided.length, written: undecided.length, rejected: 0 } });
    const original = readJson<Report>(join(temp.dir, 'out', 'report.json'));
    expect(report.retry?.combined?.counts).toMatchObject({ read: USERS, written: original.counts.written + undecided.length, rejected: 1 });
    expect(report.retry?.combined?.rejectedByReason).toEqual({ source: original.rejectedByReason.source });
    expect(resumed.stdout).toMatch(/not replayable\s+1 {2}\(refused by the source/);
  }, 120_000);

  it('refuses a --reason that selects nothing, naming the reasons there are (exit 2)', async () => {
    const result = await runCli(['retry', 'copy.yaml', '--from', 'out/dead-letter.ndjson', '--reason', 'verifier'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--reason: "verifier" selects none of the 41 dead letters of .*dead-letter\.ndjson; the most common are: transform:filter: filter: the condition gave a string, not true or false: active \(40\); source: malformed JSON/);
  });
});
