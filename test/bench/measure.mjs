// Runs a command as a child process and returns its wall time and peak RSS (via rss-probe.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const probe = join(dirname(fileURLToPath(import.meta.url)), 'rss-probe.mjs');

/** Runs `node <args>` with the RSS probe preloaded; resolves {ms, rssBytes, stdout, stderr, code}. */
export function measureNode(args, { env = {}, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'idflow-rss-'));
  const rssFile = join(dir, 'rss');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', probe, ...args], {
      cwd,
      env: { ...process.env, ...env, IDFLOW_RSS_OUT: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssBytes = Number.NaN;
      try {
        rssBytes = Number(readFileSync(rssFile, 'utf8'));
      } catch {}
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, rssBytes, stdout, stderr, code });
    });
  });
}

export const mb = (bytes) => Math.round(bytes / 1048576);
