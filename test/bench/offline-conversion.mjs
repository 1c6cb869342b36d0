// Offline conversion benchmark: `idflow run pipelines/auth0-to-file.yaml` (auth0 → field-mapper →
// hash-validator → zitadel-validate → zitadel-file) beside the bare reference loop on the same
// files, in the same run. Targets: time ≤ 1.2× the reference; peak RSS ≤ 300 MB at 1M users and
// flat from 1M to 3M. The two must write byte-identical import bodies, or the ratio means nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mb, measureNode } from './measure.mjs';
import { benchDir, ensureExport, repoRoot } from './exports.mjs';

const cli = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
const pipeline = join(repoRoot, 'pipelines', 'auth0-to-file.yaml');

/**
 * Converts `users` synthetic users both ways, `rounds` times, alternating (the machine is shared
 * and its speed drifts over minutes): the median times give the ratio; RSS is the highest peak.
 */
export async function benchOfflineConversion({ users, rounds = 1 }) {
  const files = await ensureExport(users);
  const outIdflow = join(benchDir, `offline-${users}-idflow`);
  const outRef = join(benchDir, `offline-${users}-reference`);
  const referenceRuns = [];
  const idflowRuns = [];
  let identical = true;
  for (let round = 0; round < rounds; round++) {
    for (const dir of [outIdflow, outRef]) rmSync(dir, { recursive: true, force: true });
    mkdirSync(outIdflow, { recursive: true });
    const reference = await measureNode([join(repoRoot, 'test', 'bench', 'reference-convert.mjs'), files.profiles, files.passwords, outRef, 'bench-org']);
    if (reference.code !== 0) throw new Error(`reference failed: ${reference.stderr}`);
    const idflow = await measureNode([cli, 'run', pipeline, '--fresh', '--log-format', 'json'], {
      env: { AUTH0_PROFILES: files.profiles, AUTH0_PASSWORDS: files.passwords, ZITADEL_ORG_ID: 'bench-org', OUT_DIR: outIdflow },
    });
    if (idflow.code !== 0 && idflow.code !== 1) throw new Error(`idflow failed (${idflow.code}): ${idflow.stderr.slice(-2000)}`);
    identical &&= digestOf(join(outIdflow, 'bodies')) === digestOf(outRef);
    referenceRuns.push(reference);
    idflowRuns.push(idflow);
  }
  for (const dir of [outIdflow, outRef]) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const referenceMs = median(referenceRuns.map((r) => r.ms));
  const idflowMs = median(idflowRuns.map((r) => r.ms));
  return {
    users,
    rounds,
    referenceMs: Math.round(referenceMs),
    idflowMs: Math.round(idflowMs),
    ratio: +(idflowMs / referenceMs).toFixed(2),
    ratios: idflowRuns.map((r, i) => +(r.ms / referenceRuns[i].ms).toFixed(2)),
    usersPerSecond: Math.round(users / (idflowMs / 1000)),
    idflowRssMb: Math.max(...idflowRuns.map((r) => mb(r.rssBytes))),
    referenceRssMb: Math.max(...referenceRuns.map((r) => mb(r.rssBytes))),
    identical,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One digest over every body file of `dir`, names and bytes, in name order. */
function digestOf(dir) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) hash.update(`${name}\n`).update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}
