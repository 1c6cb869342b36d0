// `idflow run` copying NDJSON end to end: dead letters with line numbers (plain and gzip input),
// --dry-run, maxRejects, and a custom plugin loaded from a pipeline.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2ePipelines, makeTempDir, repoRoot, readNdjson, runCli, userLines, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

interface DeadLetterLine {
  stage: string;
  reason: string;
  origin: string;
  record: unknown;
}

function copyPipeline(extra: string[] = []): string {
  return writePipeline(temp.dir, 'copy.yaml', [
    'version: 1',
    'name: copy',
    'source: { use: ndjson, with: { path: in.data } }',
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letters.ndjson }',
    'checkpoint: { path: out/checkpoint.json }',
    ...extra,
  ]);
}

/** 10 users with lines 3 and 7 broken. */
function inputWithTwoBrokenLines(): string[] {
  const lines = userLines(10);
  lines[2] = '{"id": "u3", "email": ';
  lines[6] = 'not json at all';
  return lines;
}

describe.each([
  { label: 'plain', gzip: false },
  { label: 'gzip', gzip: true },
])('idflow run with malformed lines ($label input)', ({ gzip }) => {
  it('copies the good records and sends each malformed line to the dead-letter file with its line number', async () => {
    copyPipeline();
    writeLines(join(temp.dir, 'in.data'), inputWithTwoBrokenLines(), { gzip });
    const result = await runCli(['run', 'copy.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);

    const copied = readNdjson(join(temp.dir, 'out', 'users.ndjson')).map((record) => record.id);
    expect(copied).toEqual(['u1', 'u2', 'u4', 'u5', 'u6', 'u8', 'u9', 'u10']);
    const dead = readNdjson<DeadLetterLine>(join(temp.dir, 'out', 'dead-letters.ndjson'));
    expect(dead.map((letter) => [letter.stage, letter.origin])).toEqual([
      ['source', 'in.data:3'],
      ['source', 'in.data:7'],
    ]);
    expect(dead[0].reason).toMatch(/JSON/);
    expect(JSON.stringify(dead[1].record)).toContain('not json at all');

    expect(result.stdout).toMatch(/copy: completed/);
    expect(result.stdout).toMatch(/read\s+10\n/);
    expect(result.stdout).toMatch(/written\s+8\n/);
    expect(result.stdout).toMatch(/rejected\s+2\n/);
    expect(result.stdout).toContain(join(temp.dir, 'out', 'dead-letters.ndjson'));
    const report = JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as { status: string; counts: { written: number; rejected: number } };
    expect(report).toMatchObject({ status: 'completed', counts: { written: 8, rejected: 2 } });
  });
});

describe('idflow run --dry-run', () => {
  it('reads and validates everything, writes no output file, still writes the report', async () => {
    copyPipeline();
    writeLines(join(temp.dir, 'in.data'), inputWithTwoBrokenLines());
    const result = await runCli(['run', 'copy.yaml', '--dry-run'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(temp.dir, 'out', 'users.ndjson'))).toBe(false);
    expect(existsSync(join(temp.dir, 'out', 'checkpoint.json'))).toBe(false);
    const reportPath = /report\s+(\S+)/.exec(result.stdout)?.[1];
    expect(reportPath).toBeDefined();
    const report = JSON.parse(readFileSync(reportPath!, 'utf8')) as { dryRun: boolean; counts: { read: number; rejected: number } };
    expect(report).toMatchObject({ dryRun: true, counts: { read: 10, rejected: 2 } });
    expect(result.stdout).toContain('dry run');
  });
});

describe('maxRejects', () => {
  it('stops with exit 1 and a clear message once rejects pass the limit', async () => {
    copyPipeline(['maxRejects: 1']);
    writeLines(join(temp.dir, 'in.data'), inputWithTwoBrokenLines());
    const result = await runCli(['run', 'copy.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('too many rejected records');
    expect(result.stderr).toMatch(/^idflow: .*maxRejects/m);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('accepts a percentage and finishes when under it', async () => {
    copyPipeline(['maxRejects: "50%"']);
    writeLines(join(temp.dir, 'in.data'), inputWithTwoBrokenLines());
    expect((await runCli(['run', 'copy.yaml'], { cwd: temp.dir })).code).toBe(0);
  });
});

describe('custom plugins from a pipeline', () => {
  const records = [
    { id: 'a', email: 'a@example.com', name: 'Ann', profile: { phone: '+1 555' } },
    { id: 'b', email: 'b@example.com', name: 'Bob' },
  ];

  it('loads example-redact by relative path and masks the listed fields', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), records.map((record) => JSON.stringify(record)));
    const result = await runCli(['run', join(e2ePipelines, 'redact.yaml')], { env: { E2E_DIR: temp.dir } });
    expect(result.code, result.stderr).toBe(0);
    expect(readNdjson(join(temp.dir, 'out.ndjson'))).toEqual([
      { id: 'a', email: '###', name: 'Ann', profile: { phone: '###' } },
      { id: 'b', email: '###', name: 'Bob' },
    ]);
  });

  it('loads it by package name, resolved from node_modules next to the pipeline, with the default mask', async () => {
    mkdirSync(join(temp.dir, 'node_modules', '@idflow'), { recursive: true });
    symlinkSync(join(repoRoot, 'plugins', 'example-redact'), join(temp.dir, 'node_modules', '@idflow', 'plugin-example-redact'), 'dir');
    writeLines(join(temp.dir, 'in.ndjson'), records.map((record) => JSON.stringify(record)));
    writePipeline(temp.dir, 'p.yaml', [
      'version: 1',
      'plugins: ["@idflow/plugin-example-redact"]',
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'transforms: [{ use: example-redact, with: { fields: [name] } }]',
      'sink: { use: ndjson, with: { path: out.ndjson } }',
    ]);
    const result = await runCli(['run', 'p.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readNdjson(join(temp.dir, 'out.ndjson')).map((record) => record.name)).toEqual(['***', '***']);
  });

  it("validates the custom plugin's config against its schema", async () => {
    writeLines(join(temp.dir, 'in.ndjson'), userLines(1));
    writePipeline(temp.dir, 'p.yaml', [
      'version: 1',
      `plugins: [${join(e2ePipelines, '..', '..', '..', 'plugins', 'example-redact', 'dist', 'index.js')}]`,
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'transforms:',
      '  - use: example-redact',
      '    with: { fields: [], masc: x }',
      'sink: { use: ndjson, with: { path: out.ndjson } }',
    ]);
    const result = await runCli(['validate', 'p.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'p.yaml:6:21 transforms.0.with.fields: must NOT have fewer than 1 items (got a list of 0)',
      'p.yaml:6:25 transforms.0.with.masc: unknown key "masc" (did you mean "mask"?)',
      'idflow: invalid configuration: 2 problems',
    ]);
  });
});
