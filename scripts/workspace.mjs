#!/usr/bin/env node
// `npm test` / `npm run demo` entry point for a fresh machine with only Node 20 and npm:
// bootstraps the pinned pnpm (from package.json's packageManager) into .tools/ when the machine
// lacks it, installs the workspace, builds, then runs the task.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsBin = join(root, '.tools', 'node_modules', '.bin');
// Native addons (better-sqlite3) build with node-gyp; on machines without network access it must use
// the local Node headers instead of downloading them.
const localHeaders = existsSync('/usr/include/node/node_version.h') ? { npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' } : {};
const env = { ...process.env, ...localHeaders, PATH: `${toolsBin}:${process.env.PATH}`, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (pnpmVersion() !== pinned) {
  console.log(`idflow: bootstrapping pnpm ${pinned} into .tools/`);
  run('npm', ['install', '--prefix', join(root, '.tools'), '--no-save', '--no-audit', '--no-fund', `pnpm@${pinned}`]);
}

const [task = 'test', ...rest] = process.argv.slice(2);
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
run('pnpm', ['install', ...frozen, '--reporter=append-only']);

if (task === 'setup') {
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
} else if (task === 'test') {
  ensureBrowser();
  run('pnpm', ['exec', 'turbo', 'run', 'build', 'typecheck', 'lint', 'test', '--concurrency=2', ...rest]);
  printTestTotals();
} else if (task === 'demo') {
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
  run('node', [join(root, 'packages', 'cli', 'dist', 'bin.js'), 'demo', ...rest]);
} else {
  console.error(`unknown task ${task}: use test, demo or setup`);
  process.exit(2);
}

/**
 * The HTML report's end-to-end test opens the report in Debian's chromium (test/e2e/browser.ts).
 * When it is missing it is installed with apt-get (as root); only where that cannot work is the
 * test skipped, and this says why.
 */
function ensureBrowser() {
  const browser = process.env.IDFLOW_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(browser)) return;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const isRoot = process.getuid?.() === 0;
  if (!hasApt || !isRoot) {
    console.log(`idflow: no browser at ${browser} and ${hasApt ? 'not root, so apt-get cannot install it' : 'no apt-get to install it'}: the HTML report's browser test will be skipped (install Debian's chromium package, or set IDFLOW_CHROMIUM)`);
    return;
  }
  console.log(`idflow: installing chromium (apt-get) for the HTML report's browser test`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
  const installed = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: aptEnv });
  if (installed.status !== 0 || !existsSync(browser)) console.log(`idflow: chromium could not be installed: the HTML report's browser test will be skipped`);
}

/** One closing line over every package's vitest JSON report (turbo restores them for cached runs). */
function printTestTotals() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const dirs = ['packages', 'plugins'].flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)));
  for (const dir of [...dirs, join(root, 'test'), join(root, 'test', 'fixtures')]) {
    const file = join(dir, '.vitest-report.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
