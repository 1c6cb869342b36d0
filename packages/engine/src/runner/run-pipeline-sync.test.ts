// Issue 14 in the runner: `updated` / `unchanged` outcomes are final successes counted apart (by
// part), `written` keeps meaning created; `Sink.finish` runs once, only after a run that read the
// source to its end with every record final — not after a failed run, but after the resumed run
// that completes it — and learns how many records never reached the sink; the diff mode opens the
// sink with `diffPath`, keeps no checkpoint and writes its report beside the real one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SinkOutcome } from '../plugin.js';
import { pipelineOf, registryWith, runCollecting, sinkStore, sourceProbe, tempDir } from './test-plugins.test-helpers.js';

const syncAnswer = (record: { id: number }): SinkOutcome => {
  if (record.id % 10 === 0) return { status: 'updated', changes: ['password', 'state'] };
  if (record.id % 5 === 0) return { status: 'updated', changes: ['password'] };
  if (record.id <= 3) return { status: 'written' };
  return { status: 'unchanged' };
};

const missing = { missing: { count: 2, deactivated: 0, path: '/x/missing.ndjson' } };

describe('runPipeline: sync outcomes and the end-of-run hook', () => {
  it('counts created / updated by part / unchanged, and finish sees the records refused before the sink', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 40, transforms: [{ use: 'reject-odd' }] }),
      registryWith(sourceProbe(), store, { answer: syncAnswer, finish: () => missing }),
    );
    expect(report.status).toBe('completed');
    // The even ids 2..40 reach the sink: 2 is created, 10/20/30/40 updated (two parts each), 15 unchanged.
    expect(report.counts).toMatchObject({ read: 40, written: 1, updated: 4, unchanged: 15, rejected: 20 });
    expect(report.updatedByPart).toEqual({ password: 4, state: 4 });
    expect(report.missing).toEqual(missing.missing);
    expect(store.finishes).toEqual([{ refusedBeforeSink: 20, outputDir: join(dir, 'out') }]);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')).updatedByPart).toEqual({ password: 4, state: 4 });
  });

  it('finish is not called after a failed run, and is called by the resumed run that completes it, with totals across both', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 100, checkpoint: { path: 'out/ckpt.json' } });
    const first = await runCollecting(pipeline, registryWith(sourceProbe(), store, { durable: true, throwOnCall: 4, answer: syncAnswer, finish: () => missing }));
    expect(first.report.status).toBe('failed');
    expect(store.finishes).toEqual([]);
    const second = await runCollecting(pipeline, registryWith(sourceProbe(), store, { durable: true, answer: syncAnswer, finish: () => missing }));
    expect(second.report.status).toBe('completed');
    expect(store.finishes).toHaveLength(1);
    expect(second.report.counts).toMatchObject({ written: 3, updated: 20, unchanged: 77 });
    expect(second.report.updatedByPart).toEqual({ password: 20, state: 10 });
  });

  it('finish is not called when records stay undeliverable', async () => {
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 10 }),
      registryWith(sourceProbe(), store, { retry: { attempts: 1 }, answer: (r) => (r.id === 4 ? { status: 'retryable', reason: 'busy' } : { status: 'unchanged' }), finish: () => missing }),
    );
    expect(report.status).toBe('incomplete');
    expect(store.finishes).toEqual([]);
  });

  it('diff mode opens the sink with diffPath, keeps no checkpoint, reports beside the real report', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const diffPath = join(dir, 'out', 'diff.ndjson');
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 10, checkpoint: { path: 'out/ckpt.json' } }),
      registryWith(sourceProbe(), store, { answer: syncAnswer, finish: () => missing }),
      { diffPath },
    );
    expect(store.diffPaths).toEqual([diffPath]);
    expect(report).toMatchObject({ status: 'completed', dryRun: true, diffPath, reportPath: join(dir, 'out', 'report.diff.json') });
    expect(report.counts).toMatchObject({ written: 3, updated: 2, unchanged: 5 });
    expect(store.finishes).toHaveLength(1);
    expect(existsSync(join(dir, 'out', 'ckpt.json'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'report.json'))).toBe(false);
  });
});
