// Issue 13 case 8: a plugin that never settles neither hangs the run nor ends it without a report
// (Node's exit 13): a transform that does not answer in `timeouts.transform` rejects that record;
// a sink write that does not answer in `timeouts.sinkWrite` counts as "target unavailable", and
// the circuit breaker stops the run with a report. A full disk (a real ENOSPC: the output is
// /dev/full) ends the run with exit 1, a whole report, and no stray temp checkpoint.
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2ePipelines, makeTempDir, readNdjson, runCli, userLines, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

interface ReportFile {
  status: string;
  error?: { code: string; message: string };
  counts: { read: number; written: number; rejected: number };
}

const report = (): ReportFile => JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as ReportFile;

describe('a plugin that never settles', () => {
  it('a transform: the record it never answers for is rejected with the reason, and the run goes on (exit 0)', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), userLines(40));
    writePipeline(temp.dir, 'p.yaml', [
      'version: 1',
      `plugins: [${JSON.stringify(join(e2ePipelines, 'hang.mjs'))}]`,
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'transforms: [{ use: e2e-hang, with: { at: [7] } }]',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
      'timeouts: { transform: 1s }',
    ]);
    const result = await runCli(['run', 'p.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readNdjson(join(temp.dir, 'out', 'users.ndjson'))).toHaveLength(39);
    expect(readNdjson<{ origin: string; reason: string }>(join(temp.dir, 'out', 'dead-letter.ndjson'))).toEqual([
      expect.objectContaining({ origin: 'in.ndjson:7', reason: 'transform:e2e-hang did not answer within 1s' }),
    ]);
  }, 60_000);

  it('a sink: the breaker stops the run (exit 1) with a report and the checkpoint, though close never settles either', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), userLines(200));
    writePipeline(temp.dir, 'p.yaml', [
      'version: 1',
      `plugins: [${JSON.stringify(join(e2ePipelines, 'hang.mjs'))}]`,
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'sink: { use: e2e-hang-sink, with: { path: out/users.ndjson, answered: 3 } }',
      'dlq: { path: out/dead-letter.ndjson }',
      'checkpoint: { path: out/checkpoint.json }',
      'timeouts: { sinkWrite: 1s, targetUnavailable: 1s }',
    ]);
    const result = await runCli(['run', 'p.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('idflow: stopped: the target of sink e2e-hang-sink has taken nothing for');
    expect(result.stderr).toContain('last answer: sink e2e-hang-sink did not answer within 1s');
    expect(result.stderr).toContain('e2e-hang-sink: close failed: e2e-hang-sink: close did not answer within 1s');
    expect(report()).toMatchObject({ status: 'failed', error: { code: 'TARGET_UNAVAILABLE' }, counts: { written: 30 } });
    expect(JSON.parse(readFileSync(join(temp.dir, 'out', 'checkpoint.json'), 'utf8'))).toMatchObject({ completed: false, watermark: 30 });
  }, 60_000);
});

describe.skipIf(!existsSync('/dev/full'))('a full disk', () => {
  it('ends the run with exit 1, the reason, a whole report, and no temp checkpoint left behind', async () => {
    writeLines(join(temp.dir, 'in.ndjson'), userLines(5000));
    writePipeline(temp.dir, 'p.yaml', [
      'version: 1',
      'source: { use: ndjson, with: { path: in.ndjson } }',
      'sink: { use: ndjson, with: { path: out/users.ndjson } }',
      'dlq: { path: out/dead-letter.ndjson }',
      'checkpoint: { path: out/checkpoint.json }',
    ]);
    // The output is a device with no space left: every write fails with ENOSPC, as on a full disk.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(temp.dir, 'out'));
    symlinkSync('/dev/full', join(temp.dir, 'out', 'users.ndjson'));
    const result = await runCli(['run', 'p.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('idflow: cannot write out/users.ndjson: no space left on device');
    expect(result.stdout).toContain('failed');
    expect(report()).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_WRITE', message: 'cannot write out/users.ndjson: no space left on device' } });
    expect(readdirSync(join(temp.dir, 'out')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
