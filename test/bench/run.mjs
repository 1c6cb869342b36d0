#!/usr/bin/env node
// `pnpm bench`: builds, runs every benchmark in one go on this machine, prints the results and
// writes them with the machine's description to docs/benchmarks.md.
// Options: --quick (small sizes only, for a smoke run), --only <name>[,<name>] (ndjson, source,
// duplicate-keys, concatenated, offline, emulator, sinks, sync, auth0-api).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { benchDir, repoRoot } from './exports.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(',')) : undefined;
const wanted = (name) => !only || only.has(name);

execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });

// Each section's latest full-size result is kept, so `--only` runs refresh their part of the doc.
const sectionsDir = join(benchDir, 'sections');
mkdirSync(sectionsDir, { recursive: true });
const order = ['ndjson', 'source', 'duplicate-keys', 'concatenated', 'offline', 'emulator', 'sinks', 'sync', 'auth0-api'];
const failures = [];
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

// A section never measured on this machine keeps what docs/benchmarks.md says (so `--only` on a
// fresh checkout refreshes its part and leaves the others as they were).
const docPath = join(repoRoot, 'docs', 'benchmarks.md');
const documented = existsSync(docPath) ? readFileSync(docPath, 'utf8').split(/^(?=## )/m).slice(1) : [];
const titles = new Map();

function keep(name, markdown) {
  if (quick) return;
  writeFileSync(join(sectionsDir, `${name}.md`), `${markdown}\n_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._\n`);
}

async function section(name, title, run) {
  titles.set(name, title);
  if (!wanted(name)) return;
  console.log(`\n== ${title}`);
  try {
    const lines = await run();
    for (const line of lines) console.log(line);
    keep(name, `## ${title}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
  } catch (error) {
    console.log(`error: ${error.message}`);
    failures.push(`${title}: ${error.message}`);
    keep(name, `## ${title}\n\n- error: ${error.message}\n`);
  }
}

await section('ndjson', 'NDJSON copy (engine)', async () => {
  const { benchNdjsonCopy } = await import('./ndjson-copy.mjs');
  const r = await benchNdjsonCopy({ records: quick ? 100_000 : 1_000_000 });
  if (!(r.peakRssMb <= 200)) failures.push('ndjson copy RSS');
  return [`${r.records.toLocaleString('en')} records: ${r.recordsPerSecond.toLocaleString('en')} records/s, peak RSS ${r.peakRssMb} MB (target < 200 MB: ${verdict(r.peakRssMb < 200)})`];
});

await section('source', 'Auth0 source alone vs reference join', async () => {
  const { benchAuth0Source } = await import('./auth0-source.mjs');
  const r = await benchAuth0Source({ sizes: quick ? [100_000] : [1_000_000, 3_000_000] });
  return r.lines ?? [JSON.stringify(r)];
});

await section('duplicate-keys', 'Duplicate-key check of every NDJSON record (auth0 source)', async () => {
  const { benchDuplicateKeys } = await import('./duplicate-keys.mjs');
  const r = await benchDuplicateKeys(quick ? { users: 100_000, records: 20_000 } : {});
  return r.lines;
});

await section('concatenated', 'Auth0 source on concatenated JSON (pretty-printed, zitadel-tools style) vs NDJSON', async () => {
  const { benchConcatenatedJson } = await import('./concatenated-json.mjs');
  const r = await benchConcatenatedJson({ users: quick ? 100_000 : 1_000_000 });
  if (!quick && !(r.concatenated.rssMb <= 250)) failures.push('concatenated JSON RSS');
  return r.lines;
});

await section('offline', 'Offline conversion (auth0 → mapper → validator → file) vs bare reference loop', async () => {
  const { benchOfflineConversion } = await import('./offline-conversion.mjs');
  const sizes = quick ? [100_000] : [100_000, 1_000_000, 3_000_000];
  const lines = [
    'reference: `test/bench/reference-convert.mjs`, a hand-written loop (line splitter, JSON.parse, a Map join, the same mapping rules) that writes the same import bodies, checked byte for byte below; it has no checks, reports, dead letters, checkpoints, fsync or memory bound',
  ];
  const results = [];
  for (const users of sizes) {
    // The ratio targets are at 100k and 1M: medians of alternating runs (five of the short ones,
    // three of the long ones: this shared machine's speed drifts by ±20%). 3M is for memory.
    const rounds = quick || users > 1_000_000 ? 1 : users <= 100_000 ? 5 : 3;
    const r = await benchOfflineConversion({ users, rounds });
    results.push(r);
    const target = users > 1_000_000 ? '' : ` (target ≤ 1.2: ${verdict(r.ratio <= 1.2 && r.identical)})`;
    const spread = rounds > 1 ? `, median of ${rounds} alternating runs (each: ${r.ratios.join(', ')})` : '';
    lines.push(
      `${users.toLocaleString('en')} users: idflow ${r.idflowMs} ms (${r.usersPerSecond.toLocaleString('en')} users/s), reference ${r.referenceMs} ms, ratio ${r.ratio}${target}${spread}, peak RSS ${r.idflowRssMb} MB (reference ${r.referenceRssMb} MB), bodies ${r.identical ? 'byte-identical' : 'DIFFERENT'}`,
    );
    if (users <= 1_000_000 && !(r.ratio <= 1.2)) failures.push(`offline conversion at ${users}: ratio ${r.ratio} over 1.2`);
    if (!r.identical) failures.push(`offline conversion at ${users}: idflow and the reference wrote different bodies`);
  }
  const at1m = results.find((r) => r.users === 1_000_000);
  const at3m = results.find((r) => r.users === 3_000_000);
  if (at1m) lines.push(`peak RSS at 1M users ${at1m.idflowRssMb} MB (target ≤ 300 MB: ${verdict(at1m.idflowRssMb <= 300)})`);
  if (at1m && at3m) {
    const growth = at3m.idflowRssMb / at1m.idflowRssMb;
    lines.push(`RSS 3M / 1M = ${growth.toFixed(2)} (flat: ${verdict(growth <= 1.25)})`);
  }
  return lines;
});

await section('emulator', 'ZITADEL emulator capacity', async () => {
  const { benchEmulatorCapacity } = await import('./emulator-capacity.mjs');
  const r = await benchEmulatorCapacity({ quick });
  return r.lines ?? [JSON.stringify(r)];
});

await section('sinks', 'Online migration against the emulator', async () => {
  const { benchZitadelSinks } = await import('./zitadel-sinks.mjs');
  const r = await benchZitadelSinks({ quick });
  return r.lines ?? [JSON.stringify(r)];
});

await section('sync', 'Sync of an unchanged tenant against the emulator', async () => {
  const { benchSync } = await import('./sync.mjs');
  const r = await benchSync({ quick });
  if (!r.paged) failures.push('sync: reads not paged');
  if (r.writes > 0 || r.events > 0) failures.push(`sync of an unchanged tenant wrote (${r.writes} write routes, ${r.events} events)`);
  return r.lines;
});

await section('auth0-api', 'Export through the Auth0 Management API stand-in, then migration', async () => {
  const { benchAuth0Api } = await import('./auth0-api.mjs');
  const r = await benchAuth0Api({ quick });
  return r.lines;
});

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}`;
for (const name of order) {
  const file = join(sectionsDir, `${name}.md`);
  const part = documented.find((p) => p.startsWith(`## ${titles.get(name)}\n`));
  if (!existsSync(file) && part && !quick) writeFileSync(file, `${part.trimEnd()}\n`);
}
const kept = order.map((name) => join(sectionsDir, `${name}.md`)).filter((file) => existsSync(file));
const doc = `# Benchmarks

Produced by \`pnpm bench\` (\`test/bench/run.mjs\`; \`--only <section>\` refreshes one section).
Machine: ${machine}. The machine is shared and noisy (other jobs ran during these measurements):
compare the ratios, which are measured in the same run, rather than absolute times.

${kept.map((file) => readFileSync(file, 'utf8')).join('\n')}`;
if (!quick) writeFileSync(join(repoRoot, 'docs', 'benchmarks.md'), doc);
console.log(`\nmachine: ${machine}`);
if (failures.length) {
  console.log(`\nnot met or failed:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
}
