import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, FatalError } from '../errors.js';
import type { RecordEnvelope } from '../plugin.js';
import {
  pipelineOf,
  registryWith,
  runCollecting,
  sinkStore,
  sourceProbe,
  tempDir,
  type TestRecord,
} from './test-plugins.test-helpers.js';

function dlqLines(dir: string, name = 'dlq.ndjson'): Array<Record<string, unknown>> {
  const text = readFileSync(join(dir, 'out', name), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runPipeline: flow', () => {
  it('lets the event loop run (I/O callbacks, timers) during a long stretch of records answered at once', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    let pulledWhenImmediateRan: number | undefined;
    probe.afterYield = (line) => {
      if (line === 1) setImmediate(() => (pulledWhenImmediateRan = probe.pulled));
    };
    const { report } = await runCollecting(pipelineOf(dir, { count: 50_000 }), registryWith(probe, store));
    expect(report.counts).toMatchObject({ read: 50_000, written: 50_000 });
    expect(pulledWhenImmediateRan).toBeGreaterThan(1);
    expect(pulledWhenImmediateRan).toBeLessThan(50_000);
  });

  it('delivers every record once, in source order, and counts them', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const { report, events } = await runCollecting(pipelineOf(dir, { count: 95 }), registryWith(probe, store));
    expect(store.rows.map((r) => r.id)).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    expect(report.status).toBe('completed');
    expect(report.exitCode).toBe(0);
    expect(report.counts).toMatchObject({ read: 95, transformed: 95, written: 95, rejected: 0, undeliverable: 0 });
    expect(events[0]).toMatchObject({ type: 'start', pipeline: 'test', totalBytes: 9500 });
    expect(events.at(-1)).toMatchObject({ type: 'end', report: { status: 'completed' } });
    // No per-record events on the hot path.
    expect(events.length).toBeLessThan(10);
    expect(probe.closed).toBe(1);
    expect(store.closed).toBe(1);
    const onDisk = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(onDisk).toMatchObject({
      status: 'completed',
      counts: { written: 95 },
      dlqPath: join(dir, 'out', 'dlq.ndjson'),
      failuresPath: join(dir, 'out', 'failures.csv'),
      warningsPath: join(dir, 'out', 'warnings.csv'),
      htmlReportPath: join(dir, 'out', 'report.html'),
      stages: { source: 'memory', transforms: [], sink: 'memory' },
    });
    expect(onDisk.timings.map((t: { phase: string }) => t.phase)).toEqual(['setup', 'source preparing', 'reading and delivering', 'finishing']);
    expect(onDisk.timeline.points.at(-1)).toMatchObject({ read: 95, delivered: 95 });
    expect(onDisk.sample.map((s: { origin: string }) => s.origin)).toEqual(['mem.ndjson:8', 'mem.ndjson:16', 'mem.ndjson:32', 'mem.ndjson:64']);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('<title>test: completed — idflow report</title>');
  });

  it('applies transforms in order, sync or async, sending rejects to the dead-letter output (mode 0600)', async () => {
    for (const async of [false, true]) {
      const dir = tempDir();
      const probe = sourceProbe();
      probe.malformed.add(4);
      const store = sinkStore();
      const { report, events } = await runCollecting(
        pipelineOf(dir, { count: 10, transforms: [{ use: 'reject-odd', with: { async } }] }),
        registryWith(probe, store),
      );
      expect(store.rows).toEqual([2, 6, 8, 10].map((id) => ({ id, name: `USER-${id}` })));
      expect(report.counts).toMatchObject({ read: 10, transformed: 4, written: 4, rejected: 6 });
      expect(report.rejectedByReason).toEqual({ source: { 'malformed JSON: bad': 1 }, 'transform:reject-odd': { 'odd id': 5 } });
      const lines = dlqLines(dir);
      expect(lines.map((l) => l.origin)).toEqual(['mem.ndjson:1', 'mem.ndjson:3', 'mem.ndjson:4', 'mem.ndjson:5', 'mem.ndjson:7', 'mem.ndjson:9']);
      expect(lines[0]).toEqual({
        stage: 'transform:reject-odd',
        reason: 'odd id',
        origin: 'mem.ndjson:1',
        offset: 0,
        record: { id: 1, name: 'user-1' },
        detail: { id: 1 },
      });
      expect(lines[2]).toEqual({ stage: 'source', reason: 'malformed JSON: bad', origin: 'mem.ndjson:4', offset: 300, record: '{bad 4' });
      expect(statSync(join(dir, 'out', 'dlq.ndjson')).mode & 0o777).toBe(0o600);
      expect(events.filter((e) => e.type === 'reject')).toHaveLength(6);
    }
  });

  it('batches by record count, by bytes and by linger time', async () => {
    const byCount = sinkStore();
    await runCollecting(pipelineOf(tempDir(), { count: 25 }), registryWith(sourceProbe(), byCount, { batching: { maxRecords: 10 } }));
    expect(byCount.batches).toEqual([10, 10, 5]);

    // Each record is 100 "bytes": 250 allows two per batch.
    const byBytes = sinkStore();
    await runCollecting(
      pipelineOf(tempDir(), { count: 5 }),
      registryWith(sourceProbe(), byBytes, { batching: { maxRecords: 10, maxBytes: 250, sizeOf: () => 100 } }),
    );
    expect(byBytes.batches).toEqual([2, 2, 1]);

    // Default size is JSON length: {"id":1,"name":"user-1"} is 24 characters.
    const byJson = sinkStore();
    await runCollecting(pipelineOf(tempDir(), { count: 4 }), registryWith(sourceProbe(), byJson, { batching: { maxRecords: 10, maxBytes: 50 } }));
    expect(byJson.batches).toEqual([2, 2]);

    // A slow source (stalls after line 3): the partial batch leaves after lingerMs instead of waiting to fill.
    const lingering = sinkStore();
    const registry = registryWith(sourceProbe(), lingering, { batching: { maxRecords: 100, lingerMs: 20 } });
    const source = registry.get('memory', 'source');
    const slowSource = {
      ...source,
      name: 'slow',
      create: async (config: never, ctx: Parameters<typeof source.create>[1]) => {
        const inner = await source.create(config, ctx);
        return {
          ...inner,
          async *read(options: Parameters<typeof inner.read>[0]) {
            for await (const item of inner.read(options)) {
              if (item.origin.line === 4) await new Promise((r) => setTimeout(r, 300));
              yield item;
            }
          },
        };
      },
    };
    registry.register(slowSource);
    const { report } = await runCollecting(pipelineOf(tempDir(), { count: 5, source: { use: 'slow', with: { count: 5 } } }), registry);
    expect(report.counts.written).toBe(5);
    expect(lingering.batches).toEqual([3, 2]);
  });

  it('never has more sink calls in flight than `concurrency`', async () => {
    for (const concurrency of [1, 3]) {
      const store = sinkStore();
      const { report } = await runCollecting(
        pipelineOf(tempDir(), { count: 200, concurrency }),
        registryWith(sourceProbe(), store, { batching: { maxRecords: 5 }, delayMs: 2 }),
      );
      expect(report.counts.written).toBe(200);
      expect(store.maxInFlight).toBe(concurrency);
    }
  });

  it('reads the source only as fast as a slow sink acknowledges (bounded read-ahead)', async () => {
    const probe = sourceProbe();
    const store = sinkStore();
    let maxUnanswered = 0;
    probe.afterYield = () => {
      maxUnanswered = Math.max(maxUnanswered, probe.pulled - store.answered);
    };
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 400, concurrency: 2 }),
      registryWith(probe, store, { batching: { maxRecords: 10 }, delayMs: 3 }),
    );
    expect(report.counts.written).toBe(400);
    // At most `concurrency` batches at the sink plus the batch being filled: (2 + 1) × 10.
    expect(maxUnanswered).toBeLessThanOrEqual((2 + 1) * 10);
    expect(maxUnanswered).toBeGreaterThan(10);
  });

  it('in a dry run transforms everything but never creates the sink, and writes no checkpoint', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const probe = sourceProbe();
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 10, transforms: [{ use: 'reject-odd' }], checkpoint: { path: 'out/ckpt.json' } }),
      registryWith(probe, store),
      { dryRun: true },
    );
    expect(report).toMatchObject({ status: 'completed', dryRun: true, exitCode: 0 });
    expect(report.counts).toMatchObject({ read: 10, transformed: 5, written: 0, rejected: 5 });
    expect(store.opened).toEqual([]);
    expect(store.batches).toEqual([]);
    expect(existsSync(join(dir, 'out', 'ckpt.json'))).toBe(false);
    // Rejects go to a separate dry-run dead-letter file, so a real run's file is untouched.
    expect(report.dlqPath).toBe(join(dir, 'out', 'dlq.dry-run.ndjson'));
    expect(dlqLines(dir, 'dlq.dry-run.ndjson')).toHaveLength(5);
    expect(existsSync(join(dir, 'out', 'dlq.ndjson'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')).dryRun).toBe(true);
  });

  it('emits periodic progress with source bytes', async () => {
    const { events } = await runCollecting(
      pipelineOf(tempDir(), { count: 60 }),
      registryWith(sourceProbe(), sinkStore(), { batching: { maxRecords: 10 }, delayMs: 60 }),
    );
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ bytesTotal: 6000 });
  });

  it('refuses an unknown plugin with a ConfigError naming the known ones', async () => {
    const pipeline = pipelineOf(tempDir(), { sink: { use: 'nope' } });
    const probe = sourceProbe();
    await expect(runCollecting(pipeline, registryWith(probe, sinkStore()))).rejects.toThrow(
      /unknown sink plugin "nope"; known sink plugins: memory/,
    );
    expect(probe.closed).toBe(1);
    await expect(runCollecting(pipelineOf(tempDir(), { maxRejects: 'lots' }), registryWith(probe, sinkStore()))).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});

describe('runPipeline: rejects and failures', () => {
  it('stops cleanly past maxRejects as a count', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 1000, maxRejects: 3, transforms: [{ use: 'reject-odd' }] }),
      registryWith(probe, store),
    );
    expect(report.status).toBe('max-rejects');
    expect(report.exitCode).toBe(1);
    expect(report.counts.rejected).toBe(4);
    expect(report.error?.message).toBe('stopped: 4 records rejected > 3 (maxRejects); see the dead-letter output');
    // Stopped reading right away; what was read before was still delivered (drained).
    expect(probe.pulled).toBeLessThan(20);
    expect(store.rows.map((r) => r.id)).toEqual([2, 4, 6]);
    expect(dlqLines(dir)).toHaveLength(4);
    expect([probe.closed, store.closed]).toEqual([1, 1]);
  });

  it('judges a percentage once 1,000 records were read, and at the end, giving the numbers', async () => {
    const probe = sourceProbe();
    for (let line = 1; line <= 3000; line += 10) probe.malformed.add(line); // 10%
    const over = await runCollecting(pipelineOf(tempDir(), { count: 3000, maxRejects: '5%' }), registryWith(probe, sinkStore()));
    expect(over.report.status).toBe('max-rejects');
    // Judged at each reject from the 1,000th record on: the first one after it is at line 1,001.
    expect(over.report.counts.read).toBe(1001);
    expect(over.report.error?.message).toBe('stopped: 101 of 1,001 rejected = 10.1 % > 5 % (maxRejects); see the dead-letter output');

    const under = await runCollecting(pipelineOf(tempDir(), { count: 3000, maxRejects: '15%' }), registryWith(probe, sinkStore()));
    expect(under.report.status).toBe('completed');
    expect(under.report.counts.rejected).toBe(300);

    // Fewer than 1,000 records: judged at the end only.
    const small = sourceProbe();
    for (let line = 1; line <= 900; line += 2) small.malformed.add(line); // 50%
    const end = await runCollecting(pipelineOf(tempDir(), { count: 900, maxRejects: '5%' }), registryWith(small, sinkStore()));
    expect(end.report.counts.read).toBe(900);
    expect(end.report.status).toBe('max-rejects');
    expect(end.report.error?.message).toBe('stopped: 450 of 900 rejected = 50.0 % > 5 % (maxRejects); see the dead-letter output');
  });

  it('re-sends retryable records with backoff until they succeed', async () => {
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 20 }),
      registryWith(sourceProbe(), store, {
        retry: { initialDelayMs: 2 },
        answer: (r, attempt) => (r.id % 3 === 0 && attempt < 3 ? { status: 'retryable', reason: 'HTTP 503' } : { status: 'written' }),
      }),
    );
    expect(report).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(report.counts).toMatchObject({ written: 20, undeliverable: 0 });
    expect(store.attempts.get(3)).toBe(3);
    expect(store.rows).toHaveLength(20);
    // Retried records are re-sent alone, not with their whole batch.
    expect(store.batches).toEqual([10, 3, 3, 10, 3, 3]);
  });

  it('leaves records undeliverable once the retry budget is spent: not dead-lettered, not final, sent by the next run (exit 1)', async () => {
    const dir = tempDir();
    const store = sinkStore();
    let away = true;
    const script = {
      durable: true,
      retry: { attempts: 4, initialDelayMs: 1 },
      answer: (r: { id: number }) => (r.id === 2 && away ? { status: 'retryable' as const, reason: 'HTTP 503 Service Unavailable' } : { status: 'written' as const }),
    };
    const pipeline = pipelineOf(dir, { count: 5, checkpoint: { path: 'out/ckpt.json' } });
    const { report } = await runCollecting(pipeline, registryWith(sourceProbe(), store, script));
    expect(report).toMatchObject({ status: 'incomplete', exitCode: 1 });
    expect(report.counts).toMatchObject({ read: 5, written: 4, undeliverable: 1, rejected: 0 });
    expect(report.error).toEqual({
      code: 'UNDELIVERABLE',
      message: '1 user could not be delivered (last answer: HTTP 503 Service Unavailable); they are not final: run the same command again to deliver them',
    });
    expect(store.attempts.get(2)).toBe(4);
    expect(report.rejectedByReason).toEqual({});
    expect(report.undeliverableByReason).toEqual({ 'HTTP 503 Service Unavailable': 1 });
    expect(dlqLines(dir)).toEqual([]);
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8')) as { completed: boolean; watermark: number; above: number[][] };
    expect(saved).toMatchObject({ completed: false, watermark: 1, above: [[3, 5]] });

    // The target is back: a plain re-run sends the one user left, and only it.
    away = false;
    const again = await runCollecting(pipeline, registryWith(sourceProbe(), store, script));
    expect(again.report).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(again.report.counts).toMatchObject({ read: 5, written: 5, undeliverable: 0, resumedSkipped: 3 });
    expect(store.rows.map((r) => r.id)).toEqual([1, 3, 4, 5, 2]);
  });

  it('gives up on the time budget too', async () => {
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 1 }),
      registryWith(sourceProbe(), store, {
        retry: { attempts: 100, maxElapsedMs: 40, initialDelayMs: 10 },
        answer: () => ({ status: 'retryable', reason: 'timeout' }),
      }),
    );
    expect(report.counts.undeliverable).toBe(1);
    expect(store.attempts.get(1)).toBeLessThan(6);
  });

  it('books sink rejections per record and keeps going', async () => {
    const dir = tempDir();
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 6 }),
      registryWith(sourceProbe(), sinkStore(), {
        answer: (r) =>
          r.id === 4 ? { status: 'rejected', reason: 'email taken', detail: { field: 'email' } } : r.id === 5 ? { status: 'present' } : { status: 'written' },
      }),
    );
    expect(report.counts).toMatchObject({ written: 4, present: 1, rejected: 1 });
    expect(dlqLines(dir)[0]).toMatchObject({ stage: 'sink:memory', reason: 'email taken', detail: { field: 'email' }, record: { id: 4 } });
  });

  it('stops with one clear message when the sink throws, closing every stage', async () => {
    const probe = sourceProbe();
    const store = sinkStore();
    const { report } = await runCollecting(pipelineOf(tempDir(), { count: 100 }), registryWith(probe, store, { throwOnCall: 3 }));
    expect(report.status).toBe('failed');
    expect(report.exitCode).toBe(1);
    expect(report.error).toEqual({ code: 'FATAL', message: 'sink memory failed: disk on fire' });
    expect(store.rows).toHaveLength(20);
    expect(probe.closed).toBe(1);
    expect(store.closed).toBe(1);
    expect(probe.pulled).toBeLessThan(45);
  });

  it('turns a source that cannot be opened into a failed report', async () => {
    const probe = sourceProbe();
    const registry = registryWith(probe, sinkStore());
    registry.register({
      name: 'broken',
      kind: 'source',
      description: 'x',
      schema: {},
      create: () => {
        throw new Error('ENOENT: no such file users.ndjson');
      },
    });
    const { report } = await runCollecting(pipelineOf(tempDir(), { source: { use: 'broken' } }), registry);
    expect(report.status).toBe('failed');
    expect(report.error?.message).toBe('the run failed: ENOENT: no such file users.ndjson');
  });

  it('treats a transform that throws as a rejection of that record, and a FatalError as the end of the run', async () => {
    const dir = tempDir();
    const registry = registryWith(sourceProbe(), sinkStore());
    const throwing = (fatalAt: number) => ({
      name: `throws-${fatalAt}`,
      kind: 'transform' as const,
      description: 'x',
      schema: {},
      create: () => ({
        apply: (record: RecordEnvelope) => {
          const id = (record.data as TestRecord).id;
          if (id === fatalAt) throw new FatalError('hash library failed to load');
          if (id === 3) throw new TypeError("Cannot read properties of undefined (reading 'email')");
          return { ok: true as const, value: record.data };
        },
      }),
    });
    registry.register([throwing(0), throwing(6)]);
    const { report } = await runCollecting(pipelineOf(dir, { count: 5, transforms: [{ use: 'throws-0' }] }), registry);
    expect(report).toMatchObject({ status: 'completed', counts: { written: 4, rejected: 1 } });
    expect(dlqLines(dir)[0]).toMatchObject({
      stage: 'transform:throws-0',
      reason: "throws-0 threw: Cannot read properties of undefined (reading 'email')",
      record: { id: 3 },
    });
    const fatal = await runCollecting(pipelineOf(tempDir(), { count: 50, transforms: [{ use: 'throws-6' }] }), registry);
    expect(fatal.report).toMatchObject({ status: 'failed', exitCode: 1, error: { code: 'FATAL', message: 'hash library failed to load' } });
  });

  it('records plugin metrics and warnings in the report', async () => {
    const registry = registryWith(sourceProbe(), sinkStore());
    registry.register({
      name: 'counting',
      kind: 'transform',
      description: 'x',
      schema: {},
      create: (_config: never, ctx) => ({
        apply: (record: RecordEnvelope) => {
          ctx.count('seen');
          if ((record.data as TestRecord).id === 2) ctx.warn('id 2 looks odd');
          return { ok: true as const, value: record.data };
        },
      }),
    });
    const { report, events } = await runCollecting(pipelineOf(tempDir(), { count: 5, transforms: [{ use: 'counting' }] }), registry);
    expect(report.metrics).toEqual({ counting: { seen: 5 } });
    expect(report.warnings).toBe(1);
    expect(events).toContainEqual({ type: 'warning', plugin: 'counting', message: 'id 2 looks odd', origin: undefined });
  });
});
