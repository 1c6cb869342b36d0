// docs/pipelines.md is generated from the plugin schemas, docs/record-shapes.md from the record
// types and the built-in plugins run on a sample; these fail when someone changes a schema, a type
// or a mapping without regenerating them (`node scripts/generate-pipeline-docs.mjs`,
// `node scripts/generate-record-shapes.mjs`).
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

describe('docs/record-shapes.md', () => {
  it('matches the record types and what the built-in plugins emit on its sample export', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-record-shapes.mjs'), '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
