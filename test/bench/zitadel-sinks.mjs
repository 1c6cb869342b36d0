#!/usr/bin/env node
// Online migration against the emulator at a fixed capacity:
// - zitadel-users, adaptive: the emulator allows `rate` requests/s per client (429 beyond, like
//   ZITADEL Cloud); target ≥ 90% of that rate with < 1% of calls answered 429;
// - zitadel-import: the emulator spends `writeCostMs` per user on top of its real work; its import
//   capacity is measured in the same run by a bare client that POSTs ready-made bodies back to
//   back (one call in flight, as the sink's default); target ≥ 90% of that capacity.
// Both sinks are driven the way the runner drives them, with ready-made ZitadelUserRecords, so
// the numbers are the sinks' and the emulator's, not the source's or the mapper's.
// Run: node test/bench/zitadel-sinks.mjs [--quick]   (needs `pnpm exec turbo run build`)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './exports.mjs';

const load = (path) => import(pathToFileURL(join(repoRoot, path)).href);

/** A valid user with a bcrypt hash and one metadata entry. */
function makeUser(n) {
  return {
    userId: `bench|${n}`,
    user: {
      userName: `bench${n}@example.com`,
      profile: { firstName: 'Bench', lastName: `User ${n}`, displayName: `Bench User ${n}` },
      email: { email: `bench${n}@example.com`, isEmailVerified: true },
      hashedPassword: { value: '$2b$10$n3Wx7TfBK04f3mX2UuaMDezDEl3FV9eHqzJvdmQW3gULx4SmQ3Go2' },
    },
    metadata: [{ key: 'plan', value: Buffer.from('"pro"').toString('base64') }],
    state: 'USER_STATE_ACTIVE',
  };
}

function quietContext() {
  const counts = {};
  return {
    baseDir: repoRoot,
    dryRun: false,
    signal: new AbortController().signal,
    counts,
    count(metric, by = 1) {
      counts[metric] = (counts[metric] ?? 0) + by;
    },
    warn() {},
    log() {},
  };
}

/** Feeds `users` to `sink` in batches, `inFlight` writes at a time, as the runner does. */
async function drive(sink, users, batchSize, inFlight) {
  const batches = [];
  for (let i = 0; i < users.length; i += batchSize) {
    batches.push(users.slice(i, i + batchSize).map((data, j) => ({ seq: i + j + 1, origin: { file: 'bench', line: i + j + 1, offset: 0 }, data })));
  }
  const tally = { written: 0, present: 0, rejected: 0, retryable: 0 };
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++];
      for (const outcome of await sink.write(batch)) tally[outcome.status] += 1;
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { ms: performance.now() - started, tally };
}

function routeCounts(stats, route) {
  const byStatus = stats.requests[route] ?? {};
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { total, byStatus };
}

/** The emulator's import capacity: users/s of a bare client POSTing ready-made bodies back to back. */
async function measureImportCapacity(startEmulator, users, writeCostMs) {
  const emu = await startEmulator({ port: 0, db: ':memory:', perUserWriteCostMs: writeCostMs });
  try {
    const bodies = [];
    for (let i = 0; i < users.length; i += 1000) {
      const part = users.slice(i, i + 1000);
      bodies.push(
        JSON.stringify({
          dataOrgs: {
            orgs: [
              {
                orgId: emu.orgId,
                humanUsers: part.map((r) => ({ userId: r.userId, user: r.user })),
                userMetadata: part.flatMap((r) => r.metadata.map((m) => ({ id: r.userId, ...m }))),
              },
            ],
          },
          timeout: '5m0s',
        }),
      );
    }
    const started = performance.now();
    for (const body of bodies) {
      const response = await fetch(`${emu.url}/admin/v1/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
        body,
      });
      if (response.status !== 200) throw new Error(`reference import answered HTTP ${response.status}`);
      await response.arrayBuffer();
    }
    const ms = performance.now() - started;
    return (emu.stats().users * 1000) / ms;
  } finally {
    await emu.close();
  }
}

/** Runs both measurements; returns the numbers and printable lines. */
export async function benchZitadelSinks(opts = {}) {
  const quick = opts.quick ?? false;
  const rate = opts.rate ?? 100;
  const perUserUsers = opts.perUserUsers ?? (quick ? 3_000 : 6_000);
  const writeCostMs = opts.writeCostMs ?? 2;
  const bulkUsers = opts.bulkUsers ?? (quick ? 5_000 : 20_000);
  const { startEmulator } = await load('packages/zitadel-emulator/dist/index.js');
  const { createUsersSink, createImportSink } = await load('plugins/zitadel/dist/index.js');

  // Per-user sink, adaptive, against a rate-limited emulator.
  const v2 = await startEmulator({ port: 0, db: ':memory:', rateLimit: rate, perUserWriteCostMs: 1 });
  // The emulator in this process warms up on a few calls first, so JIT does not count as the sink's.
  let perUser;
  try {
    const ctx = quietContext();
    const sink = createUsersSink(
      { url: v2.url, orgId: v2.orgId, auth: { pat: v2.pat }, concurrency: 'adaptive', rateLimit: 0, retry: { attempts: 30, maxElapsed: '5m' } },
      ctx,
    );
    const users = Array.from({ length: perUserUsers }, (_, i) => makeUser(i + 1));
    const run = await drive(sink, users, 256, 4);
    await sink.close();
    const stats = v2.stats();
    const calls = routeCounts(stats, 'POST /v2/users/human');
    const throttled = calls.byStatus['429'] ?? 0;
    const usersPerSecond = (stats.v2UsersCreated * 1000) / run.ms;
    perUser = {
      capacity: rate,
      users: stats.v2UsersCreated,
      usersPerSecond: Math.round(usersPerSecond),
      share: usersPerSecond / rate,
      calls: calls.total,
      throttled,
      throttledShare: throttled / Math.max(1, calls.total),
      finalConcurrency: sink.concurrency.limit,
      tally: run.tally,
    };
  } finally {
    await v2.close();
  }

  // Bulk import sink against an emulator with a per-user write cost, between two reference runs.
  const bulkUsersList = Array.from({ length: bulkUsers }, (_, i) => makeUser(i + 1));
  const before = await measureImportCapacity(startEmulator, bulkUsersList, writeCostMs);
  const bulk = await startEmulator({ port: 0, db: ':memory:', perUserWriteCostMs: writeCostMs });
  let bulkResult;
  try {
    const sink = createImportSink({ url: bulk.url, orgId: bulk.orgId, auth: { pat: bulk.pat }, batchSize: 1000 }, quietContext());
    const run = await drive(sink, bulkUsersList, 1000, 1);
    await sink.close();
    const stats = bulk.stats();
    const usersPerSecond = (stats.users * 1000) / run.ms;
    bulkResult = { users: stats.users, usersPerSecond: Math.round(usersPerSecond), tally: run.tally };
  } finally {
    await bulk.close();
  }
  const after = await measureImportCapacity(startEmulator, bulkUsersList, writeCostMs);
  bulkResult.capacity = Math.round((before + after) / 2);
  bulkResult.share = bulkResult.usersPerSecond / bulkResult.capacity;

  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const perUserOk = perUser.share >= 0.9 && perUser.throttledShare < 0.01;
  const bulkOk = bulkResult.share >= 0.9;
  const lines = [
    `zitadel-users (adaptive) vs emulator limited to ${rate} req/s: ${perUser.users.toLocaleString('en')} users at ${perUser.usersPerSecond} users/s = ${pct(perUser.share)} of capacity, ${perUser.throttled} of ${perUser.calls} calls answered 429 (${pct(perUser.throttledShare)}); target ≥ 90% and < 1%: ${verdict(perUserOk)}`,
    `zitadel-import vs emulator import capacity ${bulkResult.capacity} users/s (bare client, ${writeCostMs} ms/user write cost): ${bulkResult.users.toLocaleString('en')} users at ${bulkResult.usersPerSecond} users/s = ${pct(bulkResult.share)} of capacity; target ≥ 90%: ${verdict(bulkOk)}`,
  ];
  return { perUser, bulk: bulkResult, ok: perUserOk && bulkOk, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchZitadelSinks({ quick: process.argv.includes('--quick') });
  for (const line of result.lines) console.log(line);
  process.exitCode = result.ok ? 0 : 1;
}
