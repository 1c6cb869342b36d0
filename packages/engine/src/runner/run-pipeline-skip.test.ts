// Skipped records (a filter, a sink told to leave some out): counted apart by stage and reason,
// final like delivered ones, never dead-lettered, never a reject for maxRejects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckpointData } from './checkpoint-store.js';
import { pipelineOf, registryWith, runCollecting, sinkStore, sourceProbe, tempDir } from './test-plugins.test-helpers.js';

function dlqText(dir: string): string {
  return readFileSync(join(dir, 'out', 'dlq.ndjson'), 'utf8');
}

describe('runPipeline: skipped records', () => {
  it('counts skips by stage and reason, writes no dead letter for them and leaves maxRejects alone', async () => {
    for (const async of [false, true]) {
      const dir = tempDir();
      const probe = sourceProbe();
      const store = sinkStore();
      // 100 users: 33 skipped by the transform (multiples of 3), 6 of the rest skipped by the sink
      // (10, 20, 40, 70, 80, 100: multiples of 10 that are not multiples of 3, but 50), 50 rejected by it.
      const script = {
        answer: (record: { id: number }) =>
          record.id === 50
            ? { status: 'rejected' as const, reason: 'refused by the target' }
            : record.id % 10 === 0
              ? { status: 'skipped' as const, reason: 'round id' }
              : { status: 'written' as const },
      };
      const { report } = await runCollecting(
        pipelineOf(dir, { count: 100, maxRejects: 1, transforms: [{ use: 'skip-every', with: { every: 3, async } }] }),
        registryWith(probe, store, script),
      );
      expect(report.status).toBe('completed');
      expect(report.exitCode).toBe(0);
      expect(report.counts).toMatchObject({ read: 100, skipped: 39, transformed: 67, written: 60, rejected: 1 });
      expect(report.skippedByReason).toEqual({ 'transform:skip-every': { 'multiple of 3': 33 }, 'sink:memory': { 'round id': 6 } });
      expect(report.rejectedByReason).toEqual({ 'sink:memory': { 'refused by the target': 1 } });
      const letters = dlqText(dir).split('\n').filter(Boolean);
      expect(letters).toHaveLength(1);
      expect(JSON.parse(letters[0])).toMatchObject({ stage: 'sink:memory', origin: 'mem.ndjson:50' });
      expect(store.rows.some((row) => row.id % 3 === 0)).toBe(false);
    }
  });

  it('acknowledges skips in the checkpoint: a resumed run neither sees them again nor counts them twice', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 100, checkpoint: { path: 'out/ckpt.json' }, transforms: [{ use: 'skip-every', with: { every: 4 } }] });
    const first = await runCollecting(pipeline, registryWith(probe, store, { durable: true, throwOnCall: 3 }));
    expect(first.report.status).toBe('failed');
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8')) as CheckpointData;
    // Two batches of 10 written (ids up to 26); the third failed. The skips up to 26 are below the
    // watermark, those the source had pulled beyond it (28, 32, 36) acknowledged above it.
    expect(saved.watermarkOrigin?.line).toBe(26);
    expect(saved.above).toEqual([[28, 28], [32, 32], [36, 36]]);
    expect(saved.counts).toMatchObject({ read: 29, written: 20, skipped: 9 });
    expect(saved.skippedByReason).toEqual({ 'transform:skip-every': { 'multiple of 4': 9 } });

    const second = await runCollecting(pipeline, registryWith(probe, store, { durable: true }));
    expect(probe.lastResumeAfter?.line).toBe(26);
    expect(second.report.status).toBe('completed');
    expect(second.report.counts).toMatchObject({ read: 100, skipped: 25, written: 75, rejected: 0, resumedSkipped: 3 });
    expect(second.report.skippedByReason).toEqual({ 'transform:skip-every': { 'multiple of 4': 25 } });
    expect(store.rows.map((row) => row.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1).filter((id) => id % 4 !== 0));
  });

  it('every user skipped is no success: nothing delivered, exit 1, with the skip reason', async () => {
    const dir = tempDir();
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 20, transforms: [{ use: 'skip-every', with: { every: 1 } }] }),
      registryWith(sourceProbe(), sinkStore()),
    );
    expect(report.status).toBe('nothing-delivered');
    expect(report.exitCode).toBe(1);
    expect(report.error?.message).toBe('no user was delivered: all 20 users read were skipped (most common reason: multiple of 1); check the filter expressions');
    expect(dlqText(dir)).toBe('');
  });

  it('an {ok: false} answer with neither a rejection nor a skip is a located reject, not a crash', async () => {
    const dir = tempDir();
    const registry = registryWith(sourceProbe(), sinkStore());
    registry.register({
      name: 'broken',
      kind: 'transform',
      description: 'answers ok: false alone',
      schema: { type: 'object' },
      create: () => ({ apply: () => ({ ok: false }) as never }),
    });
    const { report } = await runCollecting(pipelineOf(dir, { count: 3, transforms: [{ use: 'broken' }] }), registry);
    expect(report.rejectedByReason).toEqual({ 'transform:broken': { 'broken answered {ok: false} without a rejection or a skip (a bug in the plugin)': 3 } });
  });
});
