// Shared vitest config: workspace packages resolve to their TypeScript sources, so unit tests
// run without a prior build. End-to-end tests spawn the built CLI instead.
import { readdirSync, readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/** Each package name (exactly: a subpath export such as `@idflow/engine/write-utf8` resolves to the build). */
function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const group of ['packages', 'plugins', 'test']) {
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, 'package.json');
      const entry = join(root, group, dir, 'src', 'index.ts');
      if (!existsSync(manifest) || !existsSync(entry)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
      aliases.push({ find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`), replacement: entry });
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: workspaceAliases() },
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The sink's sync ledger (what was sent to which target) defaults to ~/.local/state/idflow:
    // tests get their own folder so that they never read or write a developer's real ledger.
    env: { IDFLOW_STATE_DIR: process.env.IDFLOW_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'idflow-test-state-')) },
  },
});
