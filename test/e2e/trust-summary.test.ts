// Issue 13 case 9 and the summary: a dry run says how many users would be written; `validate`
// checks input files and key files; the temp folders of a killed run (join index, userName log:
// hashes and names) are removed by the next run; what the input says is escaped on a terminal;
// the summary counts users, not input lines, and gives users written without a password a line
// of their own, by cause, whichever plugin counted them.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2ePipelines, makeTempDir, repoRoot, runCli, startCli, userLines, waitFor, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

function copyPipeline(): void {
  writePipeline(temp.dir, 'copy.yaml', [
    'version: 1',
    'name: copy',
    'source: { use: ndjson, with: { path: in.ndjson } }',
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letter.ndjson }',
  ]);
}

describe('--dry-run', () => {
  it('says how many users would be written', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), [...userLines(8), 'broken']);
    copyPipeline();
    const result = await runCli(['run', 'copy.yaml', '--dry-run'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\n {2}would be written +8\n/);
    expect(existsSync(join(temp.dir, 'out', 'users.ndjson'))).toBe(false);
  });
});

describe('idflow validate checks the files', () => {
  it('a missing input is a located problem (exit 2)', async () => {
    copyPipeline();
    const result = await runCli(['validate', 'copy.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`copy.yaml:3:38 source.with.path: cannot read ${join(temp.dir, 'in.ndjson')}: no such file`);
  });

  it('a key file that cannot be read is a problem; one other users can read is a warning', async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 5, seed: 1, formats: ['ndjson'] });
    const keyFile = join(temp.dir, 'key.json');
    const env = {
      AUTH0_PROFILES: generated.profiles.ndjson!,
      AUTH0_PASSWORDS: generated.passwords,
      ZITADEL_URL: 'http://127.0.0.1:9',
      ZITADEL_ORG_ID: '1',
      ZITADEL_PAT: '',
      ZITADEL_KEY_FILE: keyFile,
      OUT_DIR: join(temp.dir, 'out'),
    };
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
    const missing = await runCli(['validate', pipeline], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`auth0-to-zitadel\\.yaml:\\d+:\\d+ sink\\.with\\.auth\\.keyFile: cannot read key file ${keyFile}: no such file`));

    writeFileSync(keyFile, '{"type":"serviceaccount"}');
    chmodSync(keyFile, 0o644);
    const shared = await runCli(['validate', pipeline], { env });
    expect(shared.code).toBe(0);
    expect(shared.stdout).toBe('ok\n');
    expect(shared.stderr).toContain(`sink.with.auth.keyFile: key file ${keyFile} can be read by other users (mode 0644); make it private: chmod 600 ${keyFile}`);
    chmodSync(keyFile, 0o600);
    expect((await runCli(['validate', pipeline], { env })).stderr).toBe('');
  });
});

describe('temporary folders of a killed run', () => {
  it('are removed by the next run, which says so', async () => {
    const tmp = join(temp.dir, 'tmp');
    mkdirSync(tmp);
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 20_000, seed: 6, formats: ['ndjson'] });
    const env = { AUTH0_PROFILES: generated.profiles.ndjson!, AUTH0_PASSWORDS: generated.passwords, ZITADEL_ORG_ID: '1', OUT_DIR: join(temp.dir, 'out'), TMPDIR: tmp };
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-file.yaml');
    // Small spill thresholds: the join index (hashes) and the userName log go to disk at once.
    const spill = ['--set', 'source.with.spillThreshold=100', '--set', 'transforms.2.with.spillThreshold=100'];
    const killed = startCli(['run', pipeline, ...spill], { env });
    const spilled = () => readdirSync(tmp, { recursive: true }).some((name) => String(name).includes('idflow-auth0-'));
    await waitFor(spilled, 'the join index on disk', 60_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(spilled()).toBe(true);

    const next = await runCli(['run', pipeline, ...spill], { env });
    expect(next.code, next.stderr.slice(-2000)).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`removed the temporary folder of a run that was killed \\(pid ${killed.child.pid}\\): ${tmp}/idflow-run-`));
    expect(readdirSync(tmp)).toEqual([]);
  }, 180_000);
});

describe('what the terminal shows', () => {
  it('escapes control characters an input line carries, in the summary and the logs', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), [...userLines(20), '\u001b[2J\u001b[31mYOU HAVE BEEN HACKED\u001b[0m', '{"id": "\u009b31m\u202e"']);
    copyPipeline();
    const result = await runCli(['run', 'copy.yaml', '--debug'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('"\\x1b[2J\\x1b[31mY"');
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain('\u001b');
      expect(output).not.toContain('\u009b');
      expect(output).not.toContain('\u202e');
    }
  });

  it('counts users, not input lines: password lines without a profile are refused on a line of their own', async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 500, seed: 8, formats: ['ndjson'] });
    const profileLines = readFileSync(generated.profiles.ndjson!, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
    const env = { AUTH0_PROFILES: generated.profiles.ndjson!, AUTH0_PASSWORDS: generated.passwords, ZITADEL_ORG_ID: '1', OUT_DIR: join(temp.dir, 'out') };
    const result = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-file.yaml')], { env });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`\\n {2}users read +${profileLines}\\n`));
    const refused = /\n {2}other input refused +(\d+) {2}\(lines that are not users/.exec(result.stdout);
    expect(refused).not.toBeNull();
    expect(Number(refused![1])).toBeGreaterThanOrEqual(generated.expected.counts.orphans);
    const report = JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as { counts: { read: number; auxiliaryRejected: number } };
    expect(report.counts).toMatchObject({ read: profileLines, auxiliaryRejected: Number(refused![1]) });
  });

  it('gives users written without a password a line of their own, by cause, from whichever plugin counted them', async () => {
    const users = [
      { id: 'a', noPassword: 'social' },
      { id: 'b' },
      { id: 'c', noPassword: 'social' },
      { id: 'd', noPassword: 'hash-refused' },
      { id: 'e', noPassword: 'no-hash-in-export' },
    ];
    writeLines(join(temp.dir, 'in.ndjson'), users.map((user) => JSON.stringify(user)));
    writePipeline(temp.dir, 'count.yaml', [
      'version: 1',
      'name: count',
      `plugins: [${JSON.stringify(join(e2ePipelines, 'count-sink.mjs'))}]`,
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'sink: { use: e2e-count-sink, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
    ]);
    const result = await runCli(['run', 'count.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\n {2}written +5\n {4}without a password +4 {2}\(social 2, (hash-refused 1, no-hash-in-export 1|no-hash-in-export 1, hash-refused 1)\)\n/);
    const report = JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as { writtenWithoutPassword: { [cause: string]: number } };
    expect(report.writtenWithoutPassword).toEqual({ social: 2, 'hash-refused': 1, 'no-hash-in-export': 1 });
  });
});
