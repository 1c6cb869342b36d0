// The CLI in-process through its programmatic entry point `main(argv)`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'idflow-cli-'));
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

function pipeline(extra: string[] = []): string {
  if (!existsSync(join(dir, 'in.ndjson'))) writeFileSync(join(dir, 'in.ndjson'), '{"id":1}\n');
  const file = join(dir, 'copy.yaml');
  writeFileSync(
    file,
    ['version: 1', 'source: { use: ndjson, with: { path: in.ndjson } }', 'sink: { use: ndjson, with: { path: out.ndjson } }', 'dlq: { path: dlq.ndjson }', ...extra].join('\n'),
  );
  return file;
}

describe('main', () => {
  it('validate: resolves 0 and prints ok for a valid pipeline', async () => {
    expect(await main(['validate', pipeline()])).toBe(0);
    expect(stdout).toBe('ok\n');
  });

  it('validate: --set works before or after the pipeline argument, the last one winning', async () => {
    const file = pipeline(['concurrency: 0']);
    expect(await main(['validate', '--set', 'concurrency=4', file])).toBe(0);
    expect(await main(['validate', file, '--set', 'concurrency=4', '--set', 'concurrency=0'])).toBe(2);
    expect(stderr).toContain(`${file} concurrency: must be >= 1 (got 0) (set by --set concurrency)`);
  });

  it('validate: resolves 2 and prints every problem for an invalid one', async () => {
    const file = pipeline(['concurrency: 0', 'nmae: x']);
    expect(await main(['validate', file])).toBe(2);
    expect(stderr).toBe(
      [`${file}:5:14 concurrency: must be >= 1 (got 0)`, `${file}:6:1 nmae: unknown key "nmae" (did you mean "name"?)`, 'idflow: invalid configuration: 2 problems', ''].join('\n'),
    );
  });

  it('validate: a missing input and an output on the input are problems, located', async () => {
    const file = pipeline(['checkpoint: { path: in.ndjson }']);
    rmSync(join(dir, 'in.ndjson'));
    expect(await main(['validate', file])).toBe(2);
    expect(stderr).toContain(`${file}:2:38 source.with.path: cannot read ${join(dir, 'in.ndjson')}: no such file`);
    writeFileSync(join(dir, 'in.ndjson'), '{"id":1}\n');
    stderr = '';
    expect(await main(['validate', file])).toBe(2);
    expect(stderr).toContain(`${file}:5:21 checkpoint.path: the checkpoint (checkpoint.path) is the same file as source.with.path (${join(dir, 'in.ndjson')}); it would be overwritten: choose another output path`);
  });

  it('run: copies records, prints the summary and resolves 0', async () => {
    writeFileSync(join(dir, 'in.ndjson'), '{"id":1}\n{"id":2}\nbroken\n');
    expect(await main(['run', pipeline(), '--quiet'])).toBe(0);
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe('{"id":1}\n{"id":2}\n');
    expect(stdout).toBe(''); // --quiet: no summary
    expect(await main(['run', pipeline(), '--fresh', '--log-format', 'json'])).toBe(0);
    expect(stdout).toMatch(/^copy: completed\n\s+users read\s+3\n/);
    expect(stderr.split('\n').filter(Boolean).every((line) => JSON.parse(line).level >= 30)).toBe(true);
  });

  it('plugins: lists built-ins; an unknown command is a usage error (2)', async () => {
    expect(await main(['plugins'])).toBe(0);
    expect(stdout).toMatch(/^ndjson\s+source\s/m);
    expect(await main(['frobnicate'])).toBe(2);
    expect(stderr).toContain('Run "idflow --help" for usage.');
  });
});
