// Shared helpers for end-to-end tests that run the built CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliBin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
/** Test pipelines and test-only plugin modules. */
export const e2ePipelines = join(dirname(fileURLToPath(import.meta.url)), 'pipelines');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** A started `idflow` process and a promise of its outcome. */
export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
}

/** Starts `node packages/cli/dist/bin.js <args>` without waiting for it. */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A fresh directory under the OS temp dir; `cleanup` removes it. */
export function makeTempDir(prefix = 'idflow-e2e-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a pipeline file from lines and returns its path. */
export function writePipeline(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Writes raw NDJSON lines (gzip-compressed when asked) and returns the path. */
export function writeLines(file: string, lines: readonly string[], options: { gzip?: boolean } = {}): string {
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, options.gzip ? gzipSync(text) : text);
  return file;
}

/** `count` small user-like records, one JSON text per line, with ids `u1`…`uN`. */
export function userLines(count: number, from = 1): string[] {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    lines.push(JSON.stringify({ id: `u${i}`, email: `user${i}@example.com`, name: `User ${i}`, logins: i % 17 }));
  }
  return lines;
}

/** Parsed records of an NDJSON file (empty lines skipped). */
export function readNdjson<T = { [key: string]: unknown }>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Ids that occur more than once, and how many distinct ids there are. */
export function duplicatesAndCount(ids: readonly string[]): { duplicates: string[]; distinct: number } {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
  }
  return { duplicates, distinct: seen.size };
}

/**
 * A copy of `records` users slowed by the test-only throttle transform (a pause of `delayMs` every
 * `every` records), with a checkpoint and a dead-letter file in `out/`: `copy.yaml` in `dir`.
 */
export function writeSlowCopy(dir: string, records: number, throttle: { every: number; delayMs: number }): void {
  writeLines(join(dir, 'in.ndjson'), userLines(records));
  writePipeline(dir, 'copy.yaml', [
    'version: 1',
    'name: slow-copy',
    `plugins: [${JSON.stringify(join(e2ePipelines, 'throttle.mjs'))}]`,
    'source: { use: ndjson, with: { path: in.ndjson } }',
    `transforms: [{ use: e2e-throttle, with: { every: ${throttle.every}, delayMs: ${throttle.delayMs} } }]`,
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letters.ndjson }',
    'checkpoint: { path: out/checkpoint.json }',
  ]);
}
