#!/usr/bin/env node
// The auth0 source alone on concatenated JSON (pretty-printed profiles and passwords, as
// zitadel-tools' example data has them) against the NDJSON export of the same users, each in its
// own child process (auth0-source.mjs --child): wall time, users/s and peak RSS, which must stay
// bounded (the reader holds one object at a time, never the file).
// Usage: node test/bench/concatenated-json.mjs [--users 1000000]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureExport } from './exports.mjs';
import { mb, measureNode } from './measure.mjs';

const sourceChild = join(dirname(fileURLToPath(import.meta.url)), 'auth0-source.mjs');

async function measureSource(files) {
  const run = await measureNode([sourceChild, '--child', files.profiles, files.passwords]);
  if (run.code !== 0) throw new Error(`auth0 source failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), ms: Math.round(run.ms), rssMb: mb(run.rssBytes) };
}

/** Reads the concatenated and the NDJSON export of `users` users; returns the numbers and report lines. */
export async function benchConcatenatedJson({ users = 1_000_000 } = {}) {
  const concatenated = await measureSource(await ensureExport(users, { concatenated: true }));
  const ndjson = await measureSource(await ensureExport(users));
  if (concatenated.records !== users || ndjson.records !== users) throw new Error(`expected ${users} users, read ${concatenated.records} and ${ndjson.records}`);
  const rate = (r) => Math.round((users / r.ms) * 1000).toLocaleString('en');
  const lines = [
    `${users.toLocaleString('en')} users, pretty-printed concatenated JSON: ${concatenated.ms} ms (${rate(concatenated)} users/s), peak RSS ${concatenated.rssMb} MB (target ≤ 250 MB: ${concatenated.rssMb <= 250 ? 'PASS' : 'FAIL'})`,
    `same users as NDJSON: ${ndjson.ms} ms (${rate(ndjson)} users/s), peak RSS ${ndjson.rssMb} MB; concatenated / NDJSON time ${Math.round((concatenated.ms / ndjson.ms) * 100) / 100}`,
  ];
  return { concatenated, ndjson, lines };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--users');
  const { lines } = await benchConcatenatedJson({ users: at >= 0 ? Number(process.argv[at + 1]) : undefined });
  for (const line of lines) console.log(line);
}
