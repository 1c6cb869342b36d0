// `idflow plugins` and `idflow plugins <name>`: the list and the docs generated from schemas.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('idflow plugins', () => {
  it('lists the built-in plugins with kind and description', async () => {
    const result = await runCli(['plugins']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+DESCRIPTION$/);
    expect(lines.some((line) => /^ndjson\s+source\s+\S/.test(line))).toBe(true);
    expect(lines.some((line) => /^ndjson\s+sink\s+\S/.test(line))).toBe(true);
  });

  it('prints the config docs of both ndjson plugins from their schemas', async () => {
    const result = await runCli(['plugins', 'ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('# ndjson (source)');
    expect(result.stdout).toContain('# ndjson (sink)');
    expect(result.stdout).toMatch(/^- `path` \(string, \*\*required\*\*.*\): \S/m);
    expect(result.stdout).toContain('```yaml\nsource:\n  use: ndjson\n  with:\n    path: ');
  });

  it('shows a custom plugin loaded with --load', async () => {
    const result = await runCli(['plugins', 'example-redact', '--load', './plugins/example-redact/dist/index.js']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('# example-redact (transform)');
    expect(result.stdout).toMatch(/^- `fields` \(list of string, \*\*required\*\*/m);
  });

  it('exits 2 with a suggestion for an unknown name', async () => {
    const result = await runCli(['plugins', 'ndjsn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown plugin "ndjsn" (did you mean "ndjson"?)');
  });
});
