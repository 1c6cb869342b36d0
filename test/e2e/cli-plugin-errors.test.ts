// A custom plugin imports its own @idflow/engine while the `idflow` command runs bundled: its
// FatalError must still stop the run, and a plain exception must still only reject the record.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2ePipelines, makeTempDir, readNdjson, runCli, userLines, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

function copyFailingAt(fatal: boolean): void {
  writeLines(join(temp.dir, 'in.ndjson'), userLines(50));
  writePipeline(temp.dir, 'copy.yaml', [
    'version: 1',
    'name: failing-copy',
    `plugins: [${JSON.stringify(join(e2ePipelines, 'fail-at.mjs'))}]`,
    'source: { use: ndjson, with: { path: in.ndjson } }',
    `transforms: [{ use: e2e-fail-at, with: { at: 20, fatal: ${fatal} } }]`,
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letters.ndjson }',
  ]);
}

describe('errors thrown by a custom plugin', () => {
  it('a FatalError from the plugin’s own engine import stops the run with its message', async () => {
    copyFailingAt(true);
    const result = await runCli(['run', 'copy.yaml', '--log-format', 'json'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('e2e-fail-at: the target went away');
    expect(readNdjson(join(temp.dir, 'out', 'dead-letters.ndjson'))).toEqual([]);
    expect(readNdjson(join(temp.dir, 'out', 'users.ndjson')).length).toBeLessThan(50);
  });

  it('a plain Error rejects that record only and the run goes on', async () => {
    copyFailingAt(false);
    const result = await runCli(['run', 'copy.yaml', '--log-format', 'json'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    const rejected = readNdjson<{ stage: string; origin: string; reason: string }>(join(temp.dir, 'out', 'dead-letters.ndjson'));
    expect(rejected.map((r) => [r.stage, r.origin, r.reason])).toEqual([['transform:e2e-fail-at', 'in.ndjson:20', expect.stringContaining('this record is odd')]]);
    expect(readNdjson(join(temp.dir, 'out', 'users.ndjson'))).toHaveLength(49);
  });
});
