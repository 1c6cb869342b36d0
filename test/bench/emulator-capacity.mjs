#!/usr/bin/env node
// ZITADEL emulator capacity at its default settings (no write cost, 64 requests in work at once):
// - bulk import: batches of 1,000 pre-made users with bcrypt hashes, several batches in flight → users/s
// - per-user v2 creates (POST /v2/users/human) at high concurrency → requests/s
// The emulator runs in its own process (the built package), so the client's work is not counted
// against it; the counts are checked against /debug/stats afterwards. Besides the rates, the
// emulator's own CPU time per user / request is reported: on a shared machine the rates move
// with the other jobs (the same build measured 1,450–3,800 v2 requests/s within minutes), the CPU
// time per request much less, so it is the number to compare between builds.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import bcrypt from 'bcryptjs';
import { repoRoot } from './exports.mjs';

const emulatorEntry = join(repoRoot, 'packages', 'zitadel-emulator', 'dist', 'index.js');

/** Starts the built emulator in a child process; resolves {url, pat, orgId, cpuMicros(), stop()}. */
function spawnEmulator(options) {
  const script = `
    const { startEmulator } = await import(${JSON.stringify(pathToFileURL(emulatorEntry).href)});
    const emulator = await startEmulator(${JSON.stringify(options)});
    process.stdout.write(JSON.stringify({ url: emulator.url, pat: emulator.pat, orgId: emulator.orgId }) + '\\n');
    process.on('SIGTERM', async () => { await emulator.close(); process.exit(0); });
    process.on('message', () => { const { user, system } = process.cpuUsage(); process.send(user + system); });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  /** The emulator process's CPU time so far (user + system), in µs. */
  const cpuMicros = () =>
    new Promise((done) => {
      child.once('message', done);
      child.send('cpu');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`emulator exited early with code ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const info = JSON.parse(out.slice(0, out.indexOf('\n')));
      child.removeAllListeners('exit');
      const stop = () =>
        new Promise((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ ...info, cpuMicros, stop });
    });
  });
}

// node:http with a keep-alive agent: fetch costs the client several times more CPU per call,
// which on a small machine would measure the client instead of the emulator.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(emulator, path, body) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${emulator.url}${path}`,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${emulator.pat}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Runs `items` through `worker` with `concurrency` in flight; resolves the elapsed ms. */
async function drive(items, concurrency, worker) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
  return performance.now() - started;
}

function importUser(id, hash) {
  return {
    userId: `bench|${id}`,
    user: {
      userName: `user${id}@bench.example`,
      profile: { firstName: `First${id}`, lastName: `Last${id}`, preferredLanguage: 'en' },
      email: { email: `user${id}@bench.example`, isEmailVerified: true },
      hashedPassword: { value: hash },
    },
  };
}

/**
 * Measures the emulator's import capacity (users/s) and v2 capacity (requests/s).
 * opts: quick, batches, batchSize, importConcurrency, v2Requests, v2Concurrency, db, emulatorOptions.
 */
export async function benchEmulatorCapacity(opts = {}) {
  const quick = opts.quick ?? false;
  const batches = opts.batches ?? (quick ? 10 : 40);
  const batchSize = opts.batchSize ?? 1000;
  const importConcurrency = opts.importConcurrency ?? 4;
  const v2Requests = opts.v2Requests ?? (quick ? 2_000 : 10_000);
  const v2Concurrency = opts.v2Concurrency ?? 32;
  if (!existsSync(emulatorEntry)) throw new Error('build the emulator first: pnpm exec turbo run build --filter=@idflow/zitadel-emulator');

  // Pre-made: a few real cost-10 bcrypt hashes shared by all users (the import parses, never verifies).
  const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => bcrypt.hash(`Password${i}!`, 10)));
  const emulator = await spawnEmulator({ port: 0, db: opts.db ?? ':memory:', ...(opts.emulatorOptions ?? {}) });
  try {
    const bodies = Array.from({ length: batches }, (_, b) =>
      JSON.stringify({
        dataOrgs: {
          orgs: [
            {
              orgId: emulator.orgId,
              humanUsers: Array.from({ length: batchSize }, (_, i) => importUser(b * batchSize + i, hashes[i % hashes.length])),
            },
          ],
        },
        timeout: '5m0s',
      }),
    );
    let imported = 0;
    const importStatuses = {};
    const importCpuStart = await emulator.cpuMicros();
    const importMs = await drive(bodies, importConcurrency, async (body) => {
      const answer = await post(emulator, '/admin/v1/import', body);
      importStatuses[answer.status] = (importStatuses[answer.status] ?? 0) + 1;
      if (answer.status === 200) imported += JSON.parse(answer.text).success?.orgs?.[0]?.humanUserIds?.length ?? 0;
    });

    const v2Bodies = Array.from({ length: v2Requests }, (_, i) =>
      JSON.stringify({
        userId: `v2|${i}`,
        username: `v2user${i}@bench.example`,
        organization: { orgId: emulator.orgId },
        profile: { givenName: `Given${i}`, familyName: `Family${i}` },
        email: { email: `v2user${i}@bench.example`, isVerified: true },
        hashedPassword: { hash: hashes[i % hashes.length] },
      }),
    );
    const v2Statuses = {};
    const v2CpuStart = await emulator.cpuMicros();
    const importCpuMicros = v2CpuStart - importCpuStart;
    const v2Ms = await drive(v2Bodies, v2Concurrency, async (body) => {
      const answer = await post(emulator, '/v2/users/human', body);
      v2Statuses[answer.status] = (v2Statuses[answer.status] ?? 0) + 1;
    });
    const v2CpuMicros = (await emulator.cpuMicros()) - v2CpuStart;

    const statsResponse = await fetch(`${emulator.url}/debug/stats`, { headers: { authorization: `Bearer ${emulator.pat}` } });
    const stats = await statsResponse.json();
    // AddHumanUser answers 200 (success_code in user_service.proto).
    const v2Created = v2Statuses[200] ?? 0;
    if (stats.users !== imported + v2Created) {
      throw new Error(`emulator holds ${stats.users} users, the client counted ${imported + v2Created}`);
    }
    const importUsersPerSecond = Math.round((imported * 1000) / importMs);
    const v2RequestsPerSecond = Math.round((v2Requests * 1000) / v2Ms);
    const importCpuMicrosPerUser = Math.round((importCpuMicros / imported) * 10) / 10;
    const v2CpuMicrosPerRequest = Math.round(v2CpuMicros / v2Requests);
    const result = {
      importCpuMicrosPerUser,
      v2CpuMicrosPerRequest,
      importUsersPerSecond,
      v2RequestsPerSecond,
      imported,
      importMs: Math.round(importMs),
      importStatuses,
      v2Requests,
      v2Created,
      v2Ms: Math.round(v2Ms),
      v2Statuses,
      peakInFlight: stats.peakInFlight,
    };
    result.lines = [
      `import: ${imported.toLocaleString('en')} users in ${batches} batches of ${batchSize} (${importConcurrency} in flight): ${importUsersPerSecond.toLocaleString('en')} users/s, emulator CPU ${importCpuMicrosPerUser} µs/user (statuses ${JSON.stringify(importStatuses)})`,
      `v2 POST /v2/users/human: ${v2Requests.toLocaleString('en')} requests (${v2Concurrency} in flight): ${v2RequestsPerSecond.toLocaleString('en')} requests/s, emulator CPU ${v2CpuMicrosPerRequest} µs/request (statuses ${JSON.stringify(v2Statuses)})`,
      `emulator holds ${stats.users.toLocaleString('en')} users, as counted by the client; peak requests in work ${stats.peakInFlight}`,
    ];
    return result;
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@idflow/zitadel-emulator', '--output-logs=errors-only'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  const result = await benchEmulatorCapacity({ quick: process.argv.includes('--quick') });
  for (const line of result.lines) console.log(line);
}
