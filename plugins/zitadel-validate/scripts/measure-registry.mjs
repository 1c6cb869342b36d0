// Measures the userName registry on realistic names: peak RSS and claims per second.
// Not a test. Needs a build first (`pnpm run build`), then:
//   node scripts/measure-registry.mjs --users 1000000 [--spill-threshold 250000] [--duplicates 0.01] [--mode registry|none]
// `--mode none` generates the same names without claiming them, to subtract the generator's cost.
// Every 1/duplicates-th user reuses an earlier user's name in another case; the script checks that
// exactly those are answered with the right earlier owner.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserNameRegistry } from '../dist/user-name-registry.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    'spill-threshold': { type: 'string' },
    duplicates: { type: 'string', default: '0.001' },
    mode: { type: 'string', default: 'registry' },
  },
});
const users = Number(values.users);
const duplicateEvery = Number(values.duplicates) > 0 ? Math.round(1 / Number(values.duplicates)) : 0;
const spillThreshold = values['spill-threshold'] === undefined ? undefined : Number(values['spill-threshold']);

const firstNames = ['jane', 'John', 'élodie', 'María', 'li', 'Oluwaseun', 'anna-lena', 'Søren', 'yuki', 'Mohammed'];
const lastNames = ['Doe', 'smith', 'Müller', 'García', 'Nakamura', 'o\'brien', 'Kowalski', 'Nguyen', 'Dubois', 'Okafor'];
const domains = ['example.com', 'Mail.example.org', 'corp.example.net', 'gmail.example', 'outlook.example.co.uk'];

/** The i-th distinct email: readable parts plus a scrambled number, so keys are not in order. */
function emailOf(i) {
  const scrambled = (Math.imul(i, 0x9e3779b1) >>> 0).toString(36);
  return `${firstNames[i % 10]}.${lastNames[(i >>> 3) % 10]}${scrambled}@${domains[i % 5]}`;
}
function userIdOf(i) {
  return `auth0|${(Math.imul(i, 0x2545f491) >>> 0).toString(16).padStart(8, '0')}${i.toString(16).padStart(16, '0')}`;
}

const registry = values.mode === 'registry' ? new UserNameRegistry({ spillThreshold }) : undefined;
let checksum = 0;
let duplicatesFound = 0;
const started = performance.now();
const cpuStarted = process.cpuUsage();
for (let i = 0; i < users; i++) {
  const isDuplicate = duplicateEvery > 0 && i > 0 && i % duplicateEvery === 0;
  // A duplicate reuses the name of an earlier, spread-out user, upper-cased.
  const source = isDuplicate ? Math.floor(i / 2) - (Math.floor(i / 2) % duplicateEvery === 0 ? 1 : 0) : i;
  const name = isDuplicate ? emailOf(source).toUpperCase() : emailOf(i);
  const id = userIdOf(i);
  if (!registry) {
    checksum += name.length + id.length;
    continue;
  }
  const owner = registry.claim(name, id);
  if (isDuplicate) {
    if (owner !== userIdOf(source)) throw new Error(`user ${i}: expected owner ${userIdOf(source)}, got ${owner}`);
    duplicatesFound++;
  } else if (owner !== undefined) {
    throw new Error(`user ${i}: false "already used by ${owner}"`);
  }
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const result = {
  mode: values.mode,
  users,
  spillThreshold: spillThreshold ?? 'default',
  duplicatesFound,
  stored: registry?.size,
  seconds: Number(seconds.toFixed(2)),
  cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  claimsPerSecond: Math.round(users / seconds),
  claimsPerCpuSecond: Math.round(users / ((cpu.user + cpu.system) / 1e6)),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  checksum: registry ? undefined : checksum,
  storeMB: storeBytes(registry?.storeDirectory),
};
const storeDirectory = registry?.storeDirectory;
registry?.close();
if (storeDirectory !== undefined && existsSync(storeDirectory)) throw new Error(`store ${storeDirectory} not removed on close`);
console.log(JSON.stringify(result));

/** Size of the on-disk store, in MB. */
function storeBytes(directory) {
  if (directory === undefined) return undefined;
  const bytes = readdirSync(directory).reduce((sum, file) => sum + statSync(join(directory, file)).size, 0);
  return Math.round(bytes / 1e6);
}
