// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are pipeline text using ${VAR} interpolation, not templates
// Pipeline config errors through the real CLI: every kind is reported at once, located, exit 2.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, runCli, userLines, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const validLines = ['version: 1', 'name: copy', 'source:', '  use: ndjson', '  with:', '    path: in.ndjson', 'sink:', '  use: ndjson', '  with:', '    path: out.ndjson'];

describe('idflow validate / run with an invalid pipeline', () => {
  const brokenLines = [
    'version: 1',
    'name: broken',
    'source:',
    '  use: ndjsn',
    '  with:',
    '    path: in.ndjson',
    'sink:',
    '  use: ndjson',
    '  with:',
    '    pth: out.ndjson',
    'dlq:',
    '  path: ${DLQ_DIR}/dead.ndjson',
    'concurrency: 1000',
    'concurency: 4',
  ];
  const expected = [
    'broken.yaml:4:8 source.use: unknown source plugin "ndjsn" (did you mean "ndjson"?)',
    'broken.yaml:10:5 sink.with.path: is required',
    'broken.yaml:10:5 sink.with.pth: unknown key "pth" (did you mean "path"?)',
    'broken.yaml:12:9 dlq.path: environment variable DLQ_DIR is not set (use ${DLQ_DIR:-default} for a default)',
    'broken.yaml:13:14 concurrency: must be <= 256 (got 1000)',
    'broken.yaml:14:1 concurency: unknown key "concurency" (did you mean "concurrency"?)',
    'idflow: invalid configuration: 6 problems',
  ];

  it('validate reports every problem, each with file:line:col and path, and exits 2', async () => {
    writePipeline(temp.dir, 'broken.yaml', brokenLines);
    const result = await runCli(['validate', 'broken.yaml'], { cwd: temp.dir, env: { DLQ_DIR: undefined } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual(expected);
  });

  it('run refuses the same pipeline with the same problems and creates nothing', async () => {
    writePipeline(temp.dir, 'broken.yaml', brokenLines);
    writeLines(join(temp.dir, 'in.ndjson'), userLines(3));
    const result = await runCli(['run', 'broken.yaml'], { cwd: temp.dir, env: { DLQ_DIR: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual(expected);
    expect(existsSync(join(temp.dir, 'out.ndjson'))).toBe(false);
  });

  it('reports YAML syntax errors with their position', async () => {
    writePipeline(temp.dir, 'syntax.yaml', ['version: 1', 'source:', '  use: ndjson', '  with: { path: in.ndjson', 'sink: { use: ndjson }']);
    const result = await runCli(['validate', 'syntax.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^syntax\.yaml:\d+:\d+ YAML syntax: /m);
    expect(result.stderr).toContain('idflow: invalid configuration');
  });

  it('reports ${VAR:?message} with the message', async () => {
    writePipeline(temp.dir, 'p.yaml', [...validLines.slice(0, 9), '    path: ${OUT_FILE:?set OUT_FILE to the output path}']);
    const result = await runCli(['validate', 'p.yaml'], { cwd: temp.dir, env: { OUT_FILE: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('p.yaml:10:11 sink.with.path: environment variable OUT_FILE is not set: set OUT_FILE to the output path');
  });

  it('reports a missing pipeline file', async () => {
    const result = await runCli(['validate', 'nope.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.yaml cannot read pipeline file: ENOENT');
  });
});

describe('idflow validate with a valid pipeline', () => {
  it('prints ok and exits 0', async () => {
    writePipeline(temp.dir, 'p.yaml', validLines);
    writeLines(join(temp.dir, 'in.ndjson'), userLines(1));
    const result = await runCli(['validate', 'p.yaml'], { cwd: temp.dir });
    expect(result).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('applies --set before validating, and locates problems an override causes', async () => {
    writePipeline(temp.dir, 'p.yaml', [...validLines, 'concurrency: 0']);
    writeLines(join(temp.dir, 'in.ndjson'), userLines(1));
    expect((await runCli(['validate', 'p.yaml'], { cwd: temp.dir })).code).toBe(2);
    expect(await runCli(['validate', 'p.yaml', '--set', 'concurrency=8'], { cwd: temp.dir })).toMatchObject({ code: 0, stdout: 'ok\n' });
    const bad = await runCli(['validate', 'p.yaml', '--set', 'concurrency=8', '--set', 'maxRejects=lots'], { cwd: temp.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('p.yaml maxRejects: must be a count (an integer >= 0), or a percentage like "5%" (got "lots") (set by --set maxRejects)');
  });
});

describe('idflow run --set', () => {
  it('overrides the sink path', async () => {
    writePipeline(temp.dir, 'p.yaml', validLines);
    writeLines(join(temp.dir, 'in.ndjson'), userLines(5));
    const result = await runCli(['run', 'p.yaml', '--set', 'sink.with.path=elsewhere.ndjson'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(temp.dir, 'out.ndjson'))).toBe(false);
    expect(readNdjson(join(temp.dir, 'elsewhere.ndjson')).map((r) => r.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
  });
});

describe('usage errors', () => {
  it('exit 2 with a hint for unknown commands and missing arguments', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Run "idflow --help" for usage.');
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['run', 'x.yaml', '--log-format', 'xml'])).code).toBe(2);
  });

  it('--help documents the exit codes and --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('130  interrupted');
    expect(help.stdout).toContain('2    invalid configuration or usage');
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a command\'s --help describes that command and its options', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('idflow run <pipeline>');
    expect(help.stdout).toContain('--fresh');
    expect(help.stdout).not.toContain('idflow verify');
  });
});

describe('idflow validate with a plugin check beyond the schema', () => {
  it('locates a broken field-mapper expression at its mapping key', async () => {
    writePipeline(temp.dir, 'mapping.yaml', [
      'version: 1',
      'source:',
      '  use: ndjson',
      '  with:',
      '    path: in.ndjson',
      'transforms:',
      '  - use: field-mapper',
      '    with:',
      '      mapping:',
      '        userName: lower(profile.email',
      'sink:',
      '  use: ndjson',
      '  with:',
      '    path: out.ndjson',
    ]);
    const result = await runCli(['validate', 'mapping.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mapping\.yaml:10:19 transforms\.0\.with\.mapping\.userName: .+/m);
  });
});
