#!/usr/bin/env node
// Sync of an unchanged tenant: an export is migrated once into the emulator (bulk import), then the
// same export is synced (`onExisting: update`) through the per-user pipeline. Measures the sync's
// users/s, every call it made by route, that the reads were paged (ListUsers pages, not one
// GetUserByID per user) and that it wrote nothing (no call that writes, no event).
// Run: node test/bench/sync.mjs [--quick]   (needs `pnpm exec turbo run build`)
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
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
    const before = emu.stats();
    const synced = await timedRun('auth0-to-zitadel-v2.yaml', env('sync'), ['--set', 'sink.with.onExisting=update']);
    const after = emu.stats();
    const calls = callsSince(before.requests, after.requests);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const writes = Object.entries(calls).filter(([route]) => isWrite(route));
    const listPages = calls['POST /v2/users'] ?? 0;
    const perUserReads = calls['GET /v2/users/{userId}'] ?? 0;
    const events = after.events - before.events;
    const unchanged = synced.report.counts.unchanged ?? Number.NaN;
    const perSecond = Math.round((users / synced.ms) * 1000);
    const paged = listPages > 0 && listPages <= Math.ceil(users / 100) && perUserReads < users / 100;
    const describeCalls = Object.entries(calls)
      .sort(([, a], [, b]) => b - a)
      .map(([route, n]) => `${route} ${n.toLocaleString('en')}`)
      .join(', ');
    return {
      usersPerSecond: perSecond,
      paged,
      writes: writes.length,
      events,
      lines: [
        `${users.toLocaleString('en')} users migrated once (auth0-to-zitadel.yaml, bulk import): ${migrated.ms} ms`,
        `sync of the same export (auth0-to-zitadel-v2.yaml, onExisting: update): ${synced.ms} ms, ${perSecond.toLocaleString('en')} users/s; ${unchanged.toLocaleString('en')} unchanged`,
        `calls made by the sync: ${total.toLocaleString('en')} (${(total / users).toFixed(3)} per user): ${describeCalls}`,
        `reads paged: ${listPages.toLocaleString('en')} ListUsers pages, ${perUserReads.toLocaleString('en')} GetUserByID (${paged ? 'PASS' : 'FAIL'}); writes ${writes.length === 0 ? 'none' : writes.map(([r, n]) => `${r} ${n}`).join(', ')}, events written ${events} (target 0: ${writes.length === 0 && events === 0 ? 'PASS' : 'FAIL'})`,
      ],
    };
  } finally {
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchSync({ quick: process.argv.includes('--quick') });
  for (const line of r.lines) console.log(line);
}
