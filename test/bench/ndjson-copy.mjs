#!/usr/bin/env node
// NDJSON copy through the engine: 1,000,000 user-like records from one file to another, in a child
// process, reporting records/s and peak RSS (limit: 200 MB). Uses the built dist, so build first:
//   pnpm exec turbo run build --filter=@idflow/engine --filter=@idflow/plugin-ndjson
//   node test/bench/ndjson-copy.mjs [records]
// `benchNdjsonCopy` is what test/bench/run.mjs calls.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const repoRoot = join(dirname(here), '..', '..');
const benchDir = join(repoRoot, 'test', '.tmp', 'bench');
export const RSS_LIMIT_MB = 200;

/** A deterministic pseudo-random user, shaped like an identity-provider export line (~450 bytes). */
function userLine(i, random) {
  const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  const created = new Date(Date.UTC(2019, 0, 1) + Math.floor(random() * 1.5e11)).toISOString();
  return JSON.stringify({
    user_id: `auth0|${hex(24)}`,
    email: `${first}.${last}.${i}@example.com`.toLowerCase(),
    email_verified: random() < 0.8,
    name: `${first} ${last}`,
    given_name: first,
    family_name: last,
    nickname: `${first.toLowerCase()}${i}`,
    created_at: created,
    updated_at: created,
    logins_count: Math.floor(random() * 500),
    identities: [{ provider: 'auth0', user_id: hex(24), connection: 'Username-Password-Authentication', isSocial: false }],
    app_metadata: { roles: random() < 0.1 ? ['admin', 'user'] : ['user'], plan: PLANS[i % PLANS.length] },
    user_metadata: { locale: LOCALES[i % LOCALES.length], phone: `+41 79 ${String(i % 1e7).padStart(7, '0')}` },
    password_hash: `$2b$10$${hex(53)}`,
  });
}
const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Radia', 'Edsger', 'Frances', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Perlman', 'Dijkstra'];
const PLANS = ['free', 'pro', 'enterprise'];
const LOCALES = ['en-US', 'de-CH', 'fr-CH', 'it-CH'];

/** mulberry32: a tiny seeded PRNG, so the input is the same on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The input file for `records` records, generated once and cached under test/.tmp/bench. */
export async function ensureNdjsonInput(records) {
  const path = join(benchDir, `ndjson-users-${records}.ndjson`);
  if (existsSync(path)) return path;
  mkdirSync(benchDir, { recursive: true });
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const random = seeded(42);
  let chunk = '';
  for (let i = 1; i <= records; i++) {
    chunk += `${userLine(i, random)}\n`;
    if (chunk.length > 1 << 20 || i === records) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
}

/** Child side: runs the copy pipeline with the built engine and prints one JSON line. */
async function runChild(input, outDir) {
  const engine = await import(pathToFileURL(join(repoRoot, 'packages', 'engine', 'dist', 'index.js')).href);
  const ndjson = await import(pathToFileURL(join(repoRoot, 'plugins', 'ndjson', 'dist', 'index.js')).href);
  const registry = engine.createRegistry();
  registry.register(ndjson.default);
  const pipeline = {
    file: join(outDir, 'ndjson-copy.yaml'),
    baseDir: outDir,
    config: {
      version: 1,
      name: 'bench-ndjson-copy',
      source: { use: 'ndjson', with: { path: input } },
      sink: { use: 'ndjson', with: { path: 'users.ndjson' } },
      dlq: { path: 'dlq.ndjson' },
      checkpoint: { path: 'checkpoint.json' },
    },
  };
  const report = await engine.runPipeline(pipeline, registry, { fresh: true }).result;
  const usage = process.resourceUsage();
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  process.stdout.write(`${JSON.stringify({ report, peakRssBytes: usage.maxRSS * 1024, cpuMs })}\n`);
}

function runInChild(input, outDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here, '--child', input, outDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`benchmark child exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
    });
  });
}

/**
 * Copies `records` records ndjson → ndjson with the engine in a child process.
 * Resolves {records, recordsPerSecond, durationMs, peakRssMb, ok}; ok: every record written and RSS under the limit.
 */
export async function benchNdjsonCopy({ records = 1_000_000 } = {}) {
  const input = await ensureNdjsonInput(records);
  const outDir = join(benchDir, 'ndjson-copy-out');
  mkdirSync(outDir, { recursive: true });
  const { report, peakRssBytes, cpuMs } = await runInChild(input, outDir);
  const peakRssMb = Math.round(peakRssBytes / 2 ** 20);
  const copied = report.status === 'completed' && report.counts.written === records && statSync(join(outDir, 'users.ndjson')).size === statSync(input).size;
  rmSync(outDir, { recursive: true, force: true }); // the copy is as big as the input: do not keep it
  return {
    records,
    recordsPerSecond: report.recordsPerSecond,
    durationMs: report.durationMs,
    /** CPU time of the whole child (user + system): steadier than wall time on a busy machine. */
    cpuMs,
    peakRssMb,
    copied,
    ok: copied && peakRssMb < RSS_LIMIT_MB,
  };
}

if (process.argv[2] === '--child') {
  await runChild(process.argv[3], process.argv[4]);
} else if (process.argv[1] === here) {
  const records = Number(process.argv[2] ?? 1_000_000);
  const r = await benchNdjsonCopy({ records });
  console.log(`ndjson copy: ${r.records.toLocaleString('en')} records in ${(r.durationMs / 1000).toFixed(1)} s`);
  console.log(`  ${r.recordsPerSecond.toLocaleString('en')} records/s, peak RSS ${r.peakRssMb} MB (limit ${RSS_LIMIT_MB} MB)`);
  console.log(`  child CPU time ${(r.cpuMs / 1000).toFixed(1)} s (${Math.round((r.records / r.cpuMs) * 1000).toLocaleString('en')} records per CPU-second)`);
  console.log(`  output identical in size to input: ${r.copied ? 'yes' : 'NO'}`);
  if (!r.ok) {
    console.log('FAIL');
    process.exitCode = 1;
  }
}
