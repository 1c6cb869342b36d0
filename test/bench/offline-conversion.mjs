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

/** Converts `users` synthetic users both ways; returns times, ratio and peak RSS. */
export async function benchOfflineConversion({ users }) {
  const files = await ensureExport(users);
  const outIdflow = join(benchDir, `offline-${users}-idflow`);
  const outRef = join(benchDir, `offline-${users}-reference`);
  for (const dir of [outIdflow, outRef]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(outIdflow, { recursive: true });

  const reference = await measureNode([join(repoRoot, 'test', 'bench', 'reference-convert.mjs'), files.profiles, files.passwords, outRef, 'bench-org']);
  if (reference.code !== 0) throw new Error(`reference failed: ${reference.stderr}`);
  const idflow = await measureNode([cli, 'run', pipeline, '--fresh', '--log-format', 'json'], {
    env: { AUTH0_PROFILES: files.profiles, AUTH0_PASSWORDS: files.passwords, ZITADEL_ORG_ID: 'bench-org', OUT_DIR: outIdflow },
  });
  if (idflow.code !== 0 && idflow.code !== 1) throw new Error(`idflow failed (${idflow.code}): ${idflow.stderr.slice(-2000)}`);
  const identical = digestOf(join(outIdflow, 'bodies')) === digestOf(outRef);
  for (const dir of [outIdflow, outRef]) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  return {
    users,
    referenceMs: Math.round(reference.ms),
    idflowMs: Math.round(idflow.ms),
    ratio: +(idflow.ms / reference.ms).toFixed(2),
    usersPerSecond: Math.round(users / (idflow.ms / 1000)),
    idflowRssMb: mb(idflow.rssBytes),
    referenceRssMb: mb(reference.rssBytes),
    identical,
  };
}

/** One digest over every body file of `dir`, names and bytes, in name order. */
function digestOf(dir) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) hash.update(`${name}\n`).update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}
