#!/usr/bin/env node
// What the duplicate-key check (plugins/auth0/src/duplicate-keys.ts) adds to reading an NDJSON
// record, on the first lines of the benchmark export (1M users): JSON.parse alone against JSON.parse and the
// check, interleaved in one process round by round (so machine noise hits both alike); the median
// round gives the check's cost per record and as a share of JSON.parse. The source does much more
// per record than parse (UTF-8 check, join, counters), so its own share is smaller.
// Usage: node test/bench/duplicate-keys.mjs
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ensureExport, repoRoot } from './exports.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function firstLines(file, count) {
  const lines = [];
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) {
    if (line) lines.push(line);
    if (lines.length === count) break;
  }
  reader.close();
  return lines;
}

/** µs per record of `run` over `lines`, CPU time. */
function timed(lines, run) {
  const before = process.cpuUsage();
  let kept = 0;
  for (const line of lines) if (run(line)) kept++;
  const cpu = process.cpuUsage(before);
  // Uses the result, so no part of the loop can be left out.
  if (kept > lines.length) throw new Error('unreachable');
  return (cpu.user + cpu.system) / lines.length;
}

/** Cost of the check on the first `records` lines of each file, over `rounds` interleaved rounds. */
export async function benchDuplicateKeys({ users = 1_000_000, records = 100_000, rounds = 15 } = {}) {
  const { duplicateKeysOf } = await import(pathToFileURL(join(repoRoot, 'plugins', 'auth0', 'dist', 'duplicate-keys.js')).href);
  const { profiles, passwords } = await ensureExport(users);
  const lines = [];
  for (const [what, file] of [
    ['profile', profiles],
    ['password record', passwords],
  ]) {
    const sample = await firstLines(file, records);
    const parse = (line) => JSON.parse(line) !== null;
    const checked = (line) => duplicateKeysOf(line, JSON.parse(line)) === undefined;
    const extra = [];
    const share = [];
    for (let round = 0; round < rounds + 2; round++) {
      // Alternating which goes first; the first two rounds warm the JIT up.
      let parseUs;
      let checkedUs;
      if (round % 2) {
        checkedUs = timed(sample, checked);
        parseUs = timed(sample, parse);
      } else {
        parseUs = timed(sample, parse);
        checkedUs = timed(sample, checked);
      }
      if (round < 2) continue;
      extra.push(checkedUs - parseUs);
      share.push((checkedUs - parseUs) / parseUs);
    }
    const us = median(extra);
    lines.push(
      `${what}s (${records.toLocaleString('en')} lines of the ${users.toLocaleString('en')}-user export, ~${Math.round(sample.reduce((n, l) => n + l.length, 0) / sample.length)} characters): every record checked, ${us.toFixed(2)} µs per record = ${(median(share) * 100).toFixed(1)} % of JSON.parse's time (median of ${rounds} interleaved rounds)`,
    );
  }
  return { lines };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { lines } = await benchDuplicateKeys();
  for (const line of lines) console.log(line);
}
