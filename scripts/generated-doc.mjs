// Shared by the doc generators: write the generated page, or with `--check` exit 1 when the
// page on disk differs (a test runs the check, so docs cannot drift from what they describe).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export function writeOrCheck(target, doc, { root, command, done }) {
  const name = relative(root, target);
  if (!process.argv.includes('--check')) {
    writeFileSync(target, doc);
    console.log(`wrote ${target}${done ? ` (${done})` : ''}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== doc) {
    console.error(`${name} is stale: run \`${command}\``);
    process.exit(1);
  }
  console.log(`${name} is up to date`);
}
