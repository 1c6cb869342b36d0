// Synthetic Auth0 exports for the benchmarks, generated once per size and kept under test/.tmp/bench.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchDir = join(repoRoot, 'test', '.tmp', 'bench');

/**
 * Returns {profiles, passwords} paths of a `users`-user export, generating it if needed: NDJSON, or
 * with `concatenated`, both files as pretty-printed JSON objects one after another.
 */
export async function ensureExport(users, { concatenated = false } = {}) {
  const dir = join(benchDir, concatenated ? `auth0-${users}-concatenated` : `auth0-${users}`);
  const done = join(dir, '.complete');
  const { generateAuth0Export } = await import(join(repoRoot, 'test', 'fixtures', 'dist', 'index.js'));
  if (!existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    const format = concatenated ? 'concatenated-json' : 'ndjson';
    await generateAuth0Export({ dir, users, seed: 42, formats: [format], gzip: false, edgeCases: false, passwordFormat: format });
    writeFileSync(done, '');
  }
  return concatenated
    ? { profiles: join(dir, 'profiles.pretty.json'), passwords: join(dir, 'passwords.json') }
    : { profiles: join(dir, 'profiles.ndjson'), passwords: join(dir, 'passwords.ndjson') };
}
