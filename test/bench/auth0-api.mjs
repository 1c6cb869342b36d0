#!/usr/bin/env node
// Export and migration through the Auth0 stand-in, with the built CLI: `idflow run
// pipelines/auth0-api-to-zitadel.yaml` (token, export job, download of the gzip, then the same
// reading, mapping and bulk import as auth0-to-zitadel.yaml) against the stand-in and the ZITADEL
// emulator, and — on the file it downloaded — `idflow run pipelines/auth0-to-zitadel.yaml` into a
// fresh emulator, so the export step's cost shows as the difference of the two in the same run.
// Run: node test/bench/auth0-api.mjs [--quick]   (needs `pnpm exec turbo run build`)
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { benchDir, repoRoot } from './exports.mjs';

const run = promisify(execFile);
const cli = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

/** Runs a pipeline quietly with JSON logs; resolves with its wall time and its log records. */
async function timedRun(pipeline, env, extraArgs = []) {
  const started = performance.now();
  const { stderr } = await run(process.execPath, [cli, 'run', join(repoRoot, 'pipelines', pipeline), '--fresh', '--log-format', 'json', ...extraArgs], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
  });
  const ms = Math.round(performance.now() - started);
  const logs = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { ms, logs };
}

export async function benchAuth0Api({ quick = false } = {}) {
  const { startAuth0StandIn, startEmulator } = await import(pathToFileURL(join(repoRoot, 'packages', 'zitadel-emulator', 'dist', 'index.js')).href);
  const users = quick ? 10_000 : 100_000;
  const dir = join(benchDir, `auth0-api-${users}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const standIn = await startAuth0StandIn({ users, seed: 42, dir: join(dir, 'tenant') });
  const zitadel = [];
  const target = async () => {
    const emu = await startEmulator({ port: 0, db: ':memory:', verifiers: ['bcrypt', 'pbkdf2', 'md5plain'] });
    zitadel.push(emu);
    return { ZITADEL_URL: emu.url, ZITADEL_PAT: emu.pat, ZITADEL_ORG_ID: emu.orgId, ZITADEL_VERIFIERS: 'bcrypt,pbkdf2,md5plain' };
  };
  const viaApi = async (round) => {
    const outDir = join(dir, `api-${round}`);
    const auth0 = { AUTH0_DOMAIN: standIn.url, AUTH0_CLIENT_ID: standIn.clientId, AUTH0_CLIENT_SECRET: standIn.clientSecret, AUTH0_PASSWORDS: standIn.passwordsPath };
    const r = await timedRun('auth0-api-to-zitadel.yaml', { ...(await target()), ...auth0, OUT_DIR: outDir }, ['--set', 'source.with.poll.initialDelay=200ms']);
    return { ...r, outDir, downloaded: r.logs.find((log) => / users downloaded /.test(log.msg ?? '')) };
  };
  const fromFile = async (round, file) =>
    timedRun('auth0-to-zitadel.yaml', { ...(await target()), AUTH0_PROFILES: file, AUTH0_PASSWORDS: standIn.passwordsPath, OUT_DIR: join(dir, `file-${round}`) });
  try {
    // Alternating rounds (API first, then file first…): this shared machine's speed drifts.
    const rounds = quick ? 1 : 3;
    const api = [];
    const file = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        api.push(await viaApi(round));
        file.push(await fromFile(round, join(api[0].outDir, 'auth0-users.json.gz')));
      } else {
        file.push(await fromFile(round, join(api[0].outDir, 'auth0-users.json.gz')));
        api.push(await viaApi(round));
      }
      for (const emu of zitadel.splice(0)) await emu.close();
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const apiMs = median(api.map((r) => r.ms));
    const fileMs = median(file.map((r) => r.ms));
    const exportMs = median(api.map((r) => r.downloaded?.ms ?? Number.NaN));
    const bytes = api[0].downloaded?.bytes ?? 0;
    const perSecond = (ms) => Math.round((users / ms) * 1000).toLocaleString('en');
    const each = rounds > 1 ? ` (medians of ${rounds} alternating rounds; API runs ${api.map((r) => r.ms).join(', ')} ms, file runs ${file.map((r) => r.ms).join(', ')} ms)` : '';
    return {
      lines: [
        `${users.toLocaleString('en')} users through the Auth0 stand-in: token, export job, download of ${bytes.toLocaleString('en')} bytes of gzip: ${exportMs} ms from job creation to the file on disk (${perSecond(exportMs)} users/s; polled from 200 ms, ×1.5 per read)`,
        `whole run, export + migrate (auth0-api-to-zitadel.yaml, bulk import into the emulator): ${apiMs} ms, ${perSecond(apiMs)} users/s`,
        `the same downloaded file migrated from disk (auth0-to-zitadel.yaml): ${fileMs} ms, ${perSecond(fileMs)} users/s; the export step adds ${apiMs - fileMs} ms${each}`,
      ],
    };
  } finally {
    for (const emu of zitadel) await emu.close();
    await standIn.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchAuth0Api({ quick: process.argv.includes('--quick') });
  for (const line of r.lines) console.log(line);
}
