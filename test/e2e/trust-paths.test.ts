// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are pipeline text using ${VAR} interpolation, not templates
// Issue 13 case 5: an output path equal to an input path (sink output, dead-letter file, report,
// checkpoint, body files) is refused when the pipeline is loaded — exit 2, located, compared by
// real path — before any file is opened for writing; so is an output on `/` or built on an empty
// `${OUT_DIR}`, by `validate` as well as `run`.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli, userLines, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const input = () => join(temp.dir, 'in.ndjson');

function copyPipeline(): void {
  writeLines(input(), userLines(100));
  writePipeline(temp.dir, 'copy.yaml', [
    'version: 1',
    'source: { use: ndjson, with: { path: in.ndjson } }',
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letter.ndjson }',
    'checkpoint: { path: out/checkpoint.json }',
  ]);
}

describe('an output that is an input', () => {
  it.each([
    { key: 'sink.with.path', value: 'in.ndjson', at: 'copy.yaml sink.with.path', what: 'sink.with.path is the same file as source.with.path' },
    { key: 'dlq.path', value: 'in.ndjson', at: 'copy.yaml dlq.path', what: 'the dead-letter file (dlq.path) is the same file as source.with.path' },
    { key: 'checkpoint.path', value: './in.ndjson', at: 'copy.yaml checkpoint.path', what: 'the checkpoint (checkpoint.path) is the same file as source.with.path' },
  ])('$key on the input is refused (exit 2) and the input is left whole', async ({ key, value, at, what }) => {
    copyPipeline();
    const before = readFileSync(input(), 'utf8');
    for (const command of ['validate', 'run']) {
      const result = await runCli([command, 'copy.yaml', '--set', `${key}=${value}`], { cwd: temp.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${at}: ${what} (${input()}); it would be overwritten: choose another output path (set by --set ${key})`);
    }
    expect(readFileSync(input(), 'utf8')).toBe(before);
  });

  it('sees through a symlink, and locates the problem in the file', async () => {
    copyPipeline();
    mkdirSync(join(temp.dir, 'out'));
    symlinkSync(input(), join(temp.dir, 'out', 'dead-letter.ndjson'));
    const before = readFileSync(input(), 'utf8');
    const result = await runCli(['run', 'copy.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`copy.yaml:4:14 dlq.path: the dead-letter file (dlq.path) is the same file as source.with.path (${input()})`);
    expect(readFileSync(input(), 'utf8')).toBe(before);
  });

  it('refuses the report next to the dead-letter file when it would overwrite an input', async () => {
    mkdirSync(join(temp.dir, 'out'));
    writeLines(join(temp.dir, 'out', 'report.json'), userLines(3));
    writePipeline(temp.dir, 'copy.yaml', [
      'version: 1',
      'source: { use: ndjson, with: { path: out/report.json } }',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
    ]);
    const result = await runCli(['run', 'copy.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`copy.yaml:4:14 dlq.path: the report (report.json, next to the dead-letter file) is the same file as source.with.path (${join(temp.dir, 'out', 'report.json')})`);
    expect(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('refuses a body-file folder that holds an input (the file sink clears it)', async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'out', 'bodies'), users: 20, seed: 2, formats: ['ndjson'] });
    const before = readFileSync(generated.profiles.ndjson!, 'utf8');
    const env = { AUTH0_PROFILES: generated.profiles.ndjson!, AUTH0_PASSWORDS: generated.passwords, ZITADEL_ORG_ID: '1', OUT_DIR: join(temp.dir, 'out') };
    const result = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-file.yaml')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/auth0-to-file\.yaml:\d+:\d+ sink\.with\.dir: sink\.with\.dir writes into .*\/out\/bodies, which holds source\.with\.profiles/);
    expect(readFileSync(generated.profiles.ndjson!, 'utf8')).toBe(before);
  });
});

describe('an output on / or built on an empty ${OUT_DIR}', () => {
  it('an OUT_DIR set but empty is refused by validate and by run, naming the variable and where files would go', async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 10, seed: 3, formats: ['ndjson'] });
    const env = { AUTH0_PROFILES: generated.profiles.ndjson!, AUTH0_PASSWORDS: generated.passwords, ZITADEL_ORG_ID: '1', OUT_DIR: '' };
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-file.yaml');
    for (const command of ['validate', 'run']) {
      const result = await runCli([command, pipeline], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/auth0-to-file\.yaml:\d+:\d+ sink\.with\.dir: \$\{OUT_DIR\} is set but empty, so sink\.with\.dir would be \/bodies; set it to a folder/);
      expect(result.stderr).toMatch(/auth0-to-file\.yaml:\d+:\d+ dlq\.path: \$\{OUT_DIR\} is set but empty, so the dead-letter file \(dlq\.path\) would be \/dead-letter\.ndjson/);
      expect(result.stderr).toMatch(/auth0-to-file\.yaml:\d+:\d+ checkpoint\.path: \$\{OUT_DIR\} is set but empty, so the checkpoint \(checkpoint\.path\) would be \/checkpoint\.json/);
    }
  });

  it('an output folder resolving to / is refused', async () => {
    copyPipeline();
    const result = await runCli(['validate', 'copy.yaml', '--set', 'dlq.path=/../dead.ndjson'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('copy.yaml dlq.path: the dead-letter file (dlq.path) would be /dead.ndjson, right under the root of the file system; write into a folder of its own');
  });
});
