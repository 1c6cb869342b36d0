// docs/pipelines.md is generated from the plugin schemas; this fails when someone changes a schema
// without regenerating it (`node scripts/generate-pipeline-docs.mjs`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

describe('docs/pipelines.md', () => {
  it('matches the schemas of the engine and every built-in plugin', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-pipeline-docs.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
