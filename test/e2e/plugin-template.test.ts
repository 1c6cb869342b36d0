// docs/plugin-template, as a plugin author outside this repository uses it: copied to a folder
// of its own, the engine dependency pointed at this checkout's built packages/engine, installed
// with npm (TypeScript and @types/node from the npm registry), built, tested with node --test, and
// run in a pipeline through the built CLI — which also lists it and refuses its TypeScript source.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli } from './helpers.js';

const temp = makeTempDir('idflow-plugin-template-');
afterAll(() => temp.cleanup());

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('a plugin built outside the repository from docs/plugin-template', () => {
  it('installs against the engine, builds, passes its own test and runs in a pipeline through the CLI', async () => {
    const dir = join(temp.dir, 'my-plugin');
    cpSync(join(repoRoot, 'docs', 'plugin-template'), dir, { recursive: true });
    expect(relative(repoRoot, dir).startsWith('..')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: { [name: string]: string } };
    manifest.dependencies['@idflow/engine'] = `file:${join(repoRoot, 'packages', 'engine')}`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

    const install = npm(['install', '--prefer-offline', '--no-package-lock'], dir);
    expect(install.code, install.output).toBe(0);
    const test = npm(['test'], dir);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/# pass 1\n# fail 0/);

    const run = await runCli(['run', 'example.yaml'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readNdjson(join(dir, 'out', 'users.ndjson'))).toEqual([
      { id: 'u1', team: 'acme-red' },
      { id: 'u2', team: 'acme-blue' },
      { id: 'u5', team: 'acme-red' },
    ]);
    expect(readNdjson<{ stage: string; reason: string; origin: string }>(join(dir, 'out', 'dead-letter.ndjson'))).toMatchObject([
      { stage: 'transform:prefix-field', reason: 'team is not text', origin: 'users.ndjson:4' },
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      status: 'completed',
      counts: { read: 5, written: 3, skipped: 1, rejected: 1 },
      skippedByReason: { 'transform:prefix-field': { 'no team': 1 } },
      metrics: { 'prefix-field': { prefixed: 3 } },
    });

    const listed = await runCli(['plugins', '--pipeline', 'example.yaml'], { cwd: dir });
    expect(listed.stdout).toMatch(/^prefix-field +transform +\.\/dist\/index\.js +Puts a prefix/m);

    writeFileSync(join(dir, 'example.yaml'), readFileSync(join(dir, 'example.yaml'), 'utf8').replace('./dist/index.js', './src/index.ts'));
    const unbuilt = await runCli(['validate', 'example.yaml'], { cwd: dir });
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain(`plugin module "./src/index.ts" is TypeScript, which Node cannot load: build it first (cd ${dir} && npm run build), then list the built file instead: ./dist/index.js`);
  }, 300_000);
});
