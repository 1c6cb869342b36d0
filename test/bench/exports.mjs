// Synthetic Auth0 exports for the benchmarks, generated once per size and kept under test/.tmp/bench.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchDir = join(repoRoot, 'test', '.tmp', 'bench');

/** Returns {profiles, passwords} NDJSON paths of a `users`-user export, generating it if needed. */
export async function ensureExport(users) {
  const dir = join(benchDir, `auth0-${users}`);
  const done = join(dir, '.complete');
  const { generateAuth0Export } = await import(join(repoRoot, 'test', 'fixtures', 'dist', 'index.js'));
  if (!existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    await generateAuth0Export({ dir, users, seed: 42, formats: ['ndjson'], gzip: false, edgeCases: false });
    writeFileSync(done, '');
  }
  return { profiles: join(dir, 'profiles.ndjson'), passwords: join(dir, 'passwords.ndjson') };
}
