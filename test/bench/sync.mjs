#!/usr/bin/env node
// Sync of an unchanged tenant: an export is migrated once into the emulator (bulk import), then the
// same export is synced (`onExisting: update`) through the per-user pipeline. Measures the sync's
// users/s, every call it made by route, that the reads were paged (ListUsers pages, not one
// GetUserByID per user) and that it wrote nothing (no call that writes, no event).
// Run: node test/bench/sync.mjs [--quick]   (needs `pnpm exec turbo run build`)
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { benchDir, ensureExport, repoRoot } from './exports.mjs';

const run = promisify(execFile);
const cli = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

/** Runs a shipped pipeline to its end; resolves with its wall time and report. */
async function timedRun(pipeline, env, extraArgs = []) {
  const started = performance.now();
  await run(process.execPath, [cli, 'run', join(repoRoot, 'pipelines', pipeline), ...extraArgs], { env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const ms = Math.round(performance.now() - started);
  return { ms, report: JSON.parse(readFileSync(join(env.OUT_DIR, 'report.json'), 'utf8')) };
}

/** Requests per route since `before` (both `stats().requests` snapshots). */
function callsSince(before, after) {
  const calls = {};
  for (const [route, byStatus] of Object.entries(after)) {
    const n = Object.entries(byStatus).reduce((sum, [status, count]) => sum + count - (before[route]?.[status] ?? 0), 0);
    if (n > 0) calls[route] = n;
  }
  return calls;
}

const isWrite = (route) => !/^(GET |POST \/v2\/users$|POST \/v2\/users\/[^/]+\/(metadata|links)\/(_?search)$|POST \/admin\/v1\/events\/_search|POST \/auth\/v1\/|GET \/management\/v1\/)/.test(route);

const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** One sync of the tenant as it is: wall time, the calls it made, what it wrote. */
async function measureSync(emu, pipeline, env, users) {
  const loadBefore = loadavg()[0];
  const before = structuredClone(emu.stats());
  const synced = await timedRun(pipeline, { ...env, ZITADEL_ON_EXISTING: 'update' });
  const after = emu.stats();
  const calls = callsSince(before.requests, after.requests);
  const listPages = calls['POST /v2/users'] ?? 0;
  const perUserReads = calls['GET /v2/users/{userId}'] ?? 0;
  return {
    ms: synced.ms,
    usersPerSecond: Math.round((users / synced.ms) * 1000),
    unchanged: synced.report.counts.unchanged ?? Number.NaN,
    load: `machine load (1-min average) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, ${availableParallelism()} cores`,
    total: Object.values(calls).reduce((a, b) => a + b, 0),
    describeCalls: Object.entries(calls)
      .sort(([, a], [, b]) => b - a)
      .map(([route, n]) => `${route} ${n.toLocaleString('en')}`)
      .join(', '),
    writes: Object.entries(calls).filter(([route]) => isWrite(route)),
    events: after.events - before.events,
    listPages,
    perUserReads,
    paged: listPages > 0 && listPages <= Math.ceil(users / 100) && perUserReads < users / 100,
  };
}

export async function benchSync({ quick = false } = {}) {
  const { startEmulator } = await import(pathToFileURL(join(repoRoot, 'packages', 'zitadel-emulator', 'dist', 'index.js')).href);
  const users = quick ? 10_000 : 100_000;
  const exportFiles = await ensureExport(users);
  const dir = join(benchDir, `sync-${users}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const emu = await startEmulator({ port: 0, db: ':memory:' });
  try {
    const env = (outDir) => ({
      AUTH0_PROFILES: exportFiles.profiles,
      AUTH0_PASSWORDS: exportFiles.passwords,
      ZITADEL_URL: emu.url,
      ZITADEL_PAT: emu.pat,
      ZITADEL_ORG_ID: emu.orgId,
      ZITADEL_RATE_LIMIT: '0',
      IDFLOW_STATE_DIR: join(dir, 'state'),
      OUT_DIR: join(dir, outDir),
    });
    const migrated = await timedRun('auth0-to-zitadel.yaml', env('migrate'));
    const lines = [`${users.toLocaleString('en')} users (each with user and app metadata, no IdP link) migrated once (auth0-to-zitadel.yaml, bulk import): ${migrated.ms} ms`];
    const results = [];
    for (const [pipeline, sink] of [
      ['auth0-to-zitadel-v2.yaml', 'zitadel-users'],
      ['auth0-to-zitadel.yaml', 'zitadel-import'],
    ]) {
      const r = await measureSync(emu, pipeline, env(`sync-${sink}`), users);
      results.push(r);
      lines.push(
        `sync of the same export through ${pipeline} (${sink}, ZITADEL_ON_EXISTING=update): ${r.ms} ms, ${r.usersPerSecond.toLocaleString('en')} users/s; ${r.unchanged.toLocaleString('en')} unchanged; ${r.load}`,
        `${sink} sync calls: ${r.total.toLocaleString('en')} (${(r.total / users).toFixed(3)} per user): ${r.describeCalls}`,
        `${sink} sync reads paged: ${r.listPages.toLocaleString('en')} ListUsers calls, one per sink batch (${Math.round(users / Math.max(r.listPages, 1))} users per call), ${r.perUserReads.toLocaleString('en')} GetUserByID (${verdict(r.paged)}); writes ${r.writes.length === 0 ? 'none' : r.writes.map(([route, n]) => `${route} ${n}`).join(', ')}, events written ${r.events} (target 0: ${verdict(r.writes.length === 0 && r.events === 0)})`,
      );
    }
    lines.push(
      'the one read per user is ListUserMetadata: ZITADEL has no metadata read across users (it takes one user_id), so each user with metadata costs one; a user without metadata or IdP links costs only its share of a ListUsers page',
    );
    return { paged: results.every((r) => r.paged), writes: results.reduce((n, r) => n + r.writes.length, 0), events: results.reduce((n, r) => n + r.events, 0), lines };
  } finally {
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchSync({ quick: process.argv.includes('--quick') });
  for (const line of r.lines) console.log(line);
}
