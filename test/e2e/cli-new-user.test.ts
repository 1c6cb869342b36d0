// Small things that cost a new user time, each through the built CLI: an id given with --set keeps
// its digits; malformed CSV rows are counted by kind, their lines in the origins; `idflow plugins`
// lists a pipeline's custom plugins; a TypeScript plugin is refused with the command that builds
// it; and `npm run idflow -- …` works where pnpm is not on the PATH.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli, writePipeline } from './helpers.js';

const temp = makeTempDir('idflow-new-user-e2e-');
afterAll(() => temp.cleanup());

describe('--set keeps the text of an id', () => {
  it('writes sink.with.orgId=200000000000000001 into the import bodies as it was given, not rounded', async () => {
    const dir = join(temp.dir, 'org-id');
    mkdirSync(dir);
    writeFileSync(join(dir, 'profiles.ndjson'), `${JSON.stringify({ user_id: 'auth0|1', email: 'ann@example.com', name: 'Ann Lee' })}\n`);
    const env = { AUTH0_PROFILES: join(dir, 'profiles.ndjson'), ZITADEL_ORG_ID: '1', OUT_DIR: join(dir, 'out') };
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-file.yaml');
    for (const orgId of ['200000000000000001', '12345']) {
      const result = await runCli(['run', pipeline, '--fresh', '--set', `sink.with.orgId=${orgId}`], { env });
      expect(result.code, result.stderr).toBe(0);
      const body = readFileSync(join(dir, 'out', 'bodies', 'importBody-00001.json'), 'utf8');
      expect(body).toContain(`"orgId":"${orgId}"`);
    }
  });
});

describe('malformed CSV rows', () => {
  it('are counted under one reason per kind, each dead letter located by its line', async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'csv'), users: 2500, seed: 4, formats: ['csv'] });
    const lines = generated.expected.malformedProfileLines.csv;
    expect(lines.length).toBe(3);
    const pipeline = writePipeline(join(temp.dir, 'csv'), 'csv.yaml', [
      'version: 1',
      'source: { use: auth0, with: { profiles: profiles.csv, passwords: passwords.ndjson } }',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
    ]);
    const result = await runCli(['run', pipeline]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(temp.dir, 'csv', 'out', 'report.json'), 'utf8')) as { rejectedByReason: { source: { [reason: string]: number } } };
    const csvReasons = Object.entries(report.rejectedByReason.source).filter(([reason]) => reason.startsWith('malformed record'));
    expect(csvReasons).toEqual([['malformed record: the row does not have as many cells as the header', 3]]);
    const letters = readNdjson<{ reason: string; origin: string }>(join(temp.dir, 'csv', 'out', 'dead-letter.ndjson')).filter((l) => l.reason.startsWith('malformed record'));
    expect(letters.map((letter) => letter.origin).sort()).toEqual(lines.map((line) => `profiles.csv:${line}`).sort());
    expect(result.stdout).toContain('3  source: malformed record: the row does not have as many cells as the header');
  }, 120_000);
});

describe('idflow plugins with a pipeline', () => {
  const pipeline = join(repoRoot, 'pipelines', 'example-redact.yaml');

  it("lists the pipeline's custom plugins next to the built-ins, saying where each comes from", async () => {
    for (const args of [['plugins', pipeline], ['plugins', '--pipeline', pipeline]]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^NAME +KIND +FROM +DESCRIPTION$/m);
      expect(result.stdout).toMatch(/^example-redact +transform +\.\.\/plugins\/example-redact +Example custom plugin/m);
      expect(result.stdout).toMatch(/^filter +transform +built-in +Keeps the records/m);
    }
    // Without it, the list has the built-ins only.
    const plain = await runCli(['plugins']);
    expect(plain.stdout).not.toContain('example-redact');
    expect(plain.stdout).toMatch(/^NAME +KIND +DESCRIPTION$/m);
  });

  it("shows a custom plugin's options, and says where to look when the name is unknown", async () => {
    const docs = await runCli(['plugins', 'example-redact', '--pipeline', pipeline]);
    expect(docs.code, docs.stderr).toBe(0);
    expect(docs.stdout).toMatch(/`fields` \(list of string, \*\*required\*\*/);
    const unknown = await runCli(['plugins', 'example-redact']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('for a custom plugin, name its pipeline: idflow plugins <name> --pipeline <file>');
  });

  it('refuses a TypeScript plugin module with the command that builds it', async () => {
    const dir = join(temp.dir, 'ts-plugin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'in.ndjson'), '{"email":"a@example.com"}\n');
    const file = writePipeline(dir, 'p.yaml', [
      'version: 1',
      `plugins: [${JSON.stringify(join(repoRoot, 'plugins', 'example-redact', 'src', 'index.ts'))}]`,
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'transforms: [{ use: example-redact, with: { fields: [email] } }]',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    ]);
    for (const command of [['validate', file], ['run', file], ['plugins', '--pipeline', file]]) {
      const result = await runCli(command, { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `p.yaml:2:11 plugins.0: plugin module "${join(repoRoot, 'plugins', 'example-redact', 'src', 'index.ts')}" is TypeScript, which Node cannot load: build it first (cd ${join(repoRoot, 'plugins', 'example-redact')} && npm run build), then list the built file instead: ${join(repoRoot, 'plugins', 'example-redact', 'dist', 'index.js')}\n`,
      );
    }
  });
});

describe('npm run idflow', () => {
  it('runs the command from the repository root where pnpm is not on the PATH (bootstrapped into .tools/)', () => {
    // A PATH with node, npm and sh only: what a machine has after `npm test` bootstrapped pnpm into .tools/.
    const bin = join(temp.dir, 'bin');
    mkdirSync(bin);
    const npmOnPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'npm')).find((file) => existsSync(file));
    expect(npmOnPath).toBeDefined();
    const npmCli = realpathSync(npmOnPath!);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(npmCli, join(bin, 'npm'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    expect(readdirSync(bin).sort()).toEqual(['node', 'npm', 'sh']);
    const env = { ...process.env, PATH: bin, NO_COLOR: '1' };
    expect(spawnSync('pnpm', ['--version'], { env }).error).toBeDefined();
    const version = spawnSync(join(bin, 'npm'), ['run', '--silent', 'idflow', '--', '--version'], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const plugins = spawnSync(join(bin, 'npm'), ['run', '--silent', 'idflow', '--', 'plugins', 'filter'], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(plugins.status, plugins.stderr).toBe(0);
    expect(plugins.stdout).toContain('# filter (transform)');
  });
});
