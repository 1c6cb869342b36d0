#!/usr/bin/env node
// Auth0 source alone (read + join, records discarded) against reference-join.mjs on the same
// NDJSON exports, each in its own child process: wall time, ratio (target ≤ 1.3) and peak RSS
// (targets: ≤ 250 MB at 1M users; 3M ≤ 1.25 × the 1M figure). Up to 1M users, medians of alternating runs.
// Usage: node test/bench/auth0-source.mjs [--sizes 1000000,3000000]
//        node test/bench/auth0-source.mjs --child <profiles> <passwords>   (the measured source run)
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureExport, repoRoot } from './exports.mjs';
import { mb, measureNode } from './measure.mjs';

const here = fileURLToPath(import.meta.url);

async function runSourceChild(profiles, passwords) {
  const { default: plugin } = await import(pathToFileURL(join(repoRoot, 'plugins', 'auth0', 'dist', 'index.js')).href);
  const metrics = {};
  const ctx = {
    baseDir: dirname(profiles),
    dryRun: true,
    signal: new AbortController().signal,
    count: (metric, by = 1) => {
      metrics[metric] = (metrics[metric] ?? 0) + by;
    },
    warn: () => {},
    log: () => {},
  };
  const source = await plugin.create({ profiles, passwords }, ctx);
  let records = 0;
  let rejects = 0;
  try {
    for await (const item of source.read({})) {
      if (item.reject) rejects++;
      else records++;
    }
  } finally {
    await source.close();
  }
  console.log(JSON.stringify({ records, rejects, metrics }));
}

/** Median of numbers. */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs the reference and the source on 1M-style exports of each size; returns the numbers and report
 * lines. Up to 1M users, `rounds` alternating runs of each (this shared machine's speed drifts by
 * ±30% within minutes): the ratio is the median of the rounds' ratios, times and RSS medians too.
 */
export async function benchAuth0Source({ sizes = [1_000_000, 3_000_000], rounds = 3 } = {}) {
  const results = [];
  const lines = [];
  for (const users of sizes) {
    const { profiles, passwords } = await ensureExport(users);
    const runs = [];
    for (let round = 0; round < (users > 1_000_000 ? 1 : rounds); round++) {
      const reference = await measureNode([join(dirname(here), 'reference-join.mjs'), profiles, passwords]);
      if (reference.code !== 0) throw new Error(`reference failed: ${reference.stderr}`);
      const source = await measureNode([here, '--child', profiles, passwords]);
      if (source.code !== 0) throw new Error(`auth0 source failed: ${source.stderr}`);
      runs.push({ reference, source, out: JSON.parse(source.stdout.trim().split('\n').pop()) });
    }
    const ratios = runs.map((r) => Math.round((r.source.ms / r.reference.ms) * 100) / 100);
    const ratio = median(ratios);
    const result = {
      users,
      referenceMs: Math.round(median(runs.map((r) => r.reference.ms))),
      sourceMs: Math.round(median(runs.map((r) => r.source.ms))),
      ratio,
      referenceRssMb: mb(median(runs.map((r) => r.reference.rssBytes))),
      sourceRssMb: mb(median(runs.map((r) => r.source.rssBytes))),
      records: runs[0].out.records,
      rejects: runs[0].out.rejects,
    };
    results.push(result);
    const spread = runs.length > 1 ? `, median of ${runs.length} alternating runs (each: ${ratios.join(', ')})` : '';
    lines.push(
      `${users.toLocaleString('en')} users: source ${result.sourceMs} ms, reference ${result.referenceMs} ms, ratio ${ratio} (target ≤ 1.3: ${ratio <= 1.3 ? 'PASS' : 'FAIL'})${spread}, peak RSS ${result.sourceRssMb} MB (reference ${result.referenceRssMb} MB)`,
    );
  }
  const at1m = results.find((r) => r.users === 1_000_000);
  const at3m = results.find((r) => r.users === 3_000_000);
  if (at1m) lines.push(`peak RSS at 1M users ${at1m.sourceRssMb} MB (target ≤ 250 MB: ${at1m.sourceRssMb <= 250 ? 'PASS' : 'FAIL'})`);
  if (at1m && at3m) {
    const growth = Math.round((at3m.sourceRssMb / at1m.sourceRssMb) * 100) / 100;
    lines.push(`peak RSS 3M / 1M = ${growth} (target ≤ 1.25: ${growth <= 1.25 ? 'PASS' : 'FAIL'})`);
  }
  return { results, lines };
}

if (process.argv[1] === here) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await runSourceChild(args[1], args[2]);
  else {
    const at = args.indexOf('--sizes');
    const sizes = at >= 0 ? args[at + 1].split(',').map(Number) : undefined;
    const { lines } = await benchAuth0Source({ sizes });
    for (const line of lines) console.log(line);
  }
}
