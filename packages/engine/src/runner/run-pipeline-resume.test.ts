import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError, FatalError } from '../errors.js';
import { definePlugin, type RecordEnvelope } from '../plugin.js';
import type { CheckpointData } from './checkpoint-store.js';
import { runPipeline } from './run-pipeline.js';
import { pipelineOf, registryWith, runCollecting, sinkStore, sourceProbe, tempDir } from './test-plugins.test-helpers.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function readCheckpoint(dir: string): CheckpointData {
  return JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8')) as CheckpointData;
}

function dlqOrigins(dir: string): string[] {
  return readFileSync(join(dir, 'out', 'dlq.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { origin: string }).origin);
}

const withCheckpoint = { checkpoint: { path: 'out/ckpt.json' } };

describe('runPipeline: checkpoint and resume', () => {
  it('resumes after a fatal sink error without writing an acknowledged record twice', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const first = await runCollecting(
      pipelineOf(dir, { count: 100, ...withCheckpoint }),
      registryWith(probe, store, { durable: true, throwOnCall: 4 }),
    );
    expect(first.report.status).toBe('failed');
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 30));
    const saved = readCheckpoint(dir);
    expect(saved).toMatchObject({ watermark: 30, watermarkOrigin: { line: 30 }, above: [], completed: false, sinkState: { rows: 30 } });
    expect(saved.counts).toMatchObject({ read: 30, written: 30 });
    expect(statSync(join(dir, 'out', 'ckpt.json')).mode & 0o777).toBe(0o600);

    const second = await runCollecting(pipelineOf(dir, { count: 100, ...withCheckpoint }), registryWith(probe, store, { durable: true }));
    expect(probe.lastResumeAfter).toMatchObject({ line: 30 });
    expect(store.opened).toEqual([undefined, { rows: 30 }]);
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 100));
    expect(second.report).toMatchObject({ status: 'completed', exitCode: 0, resumedFrom: { line: 30 } });
    expect(second.report.counts).toMatchObject({ read: 100, written: 100 });
    expect(readCheckpoint(dir).completed).toBe(true);
  });

  it('after a kill -9 (stale checkpoint, more output than it says) truncates the outputs and gives exactly-once', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    probe.malformed = new Set(range(1, 200).filter((line) => line % 7 === 0));
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 200, ...withCheckpoint, transforms: [{ use: 'hold' }] });
    let stale: string | undefined;
    // Record 100 is held (at most 10 s) until a checkpoint from the middle of the run exists, so
    // one does whatever the machine's speed (a slow fsync can otherwise let the run finish first).
    let midRunCheckpoint = () => {};
    const captured = new Promise<void>((resolve) => (midRunCheckpoint = resolve));
    const hold = definePlugin({
      name: 'hold',
      kind: 'transform',
      description: 'holds record 100 until a mid-run checkpoint',
      schema: { type: 'object' },
      create: () => ({
        apply: async (record: RecordEnvelope<{ id: number }>) => {
          if (record.data.id === 100) await Promise.race([captured, new Promise((r) => setTimeout(r, 10_000))]);
          return { ok: true as const, value: record.data };
        },
      }),
    });
    const registry = (script: Parameters<typeof registryWith>[2]) => {
      const withHold = registryWith(probe, store, script);
      withHold.register(hold);
      return withHold;
    };
    const handle = runPipeline(pipeline, registry({ durable: true, delayMs: 3 }), { checkpointIntervalMs: 5 });
    handle.events.subscribe((event) => {
      // A checkpoint from the middle of the run (not the final one).
      if (event.type === 'checkpoint' && !stale && event.seq >= 40 && event.seq < 150) {
        stale = readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8');
        midRunCheckpoint();
      }
    });
    expect((await handle.result).status).toBe('completed');
    expect(stale).toBeDefined();
    const staleData = JSON.parse(stale!) as CheckpointData;
    const keptRows = (staleData.sinkState as { rows: number }).rows;
    expect(keptRows).toBeLessThan(store.rows.length);
    const rejectedLines = [...probe.malformed].map((line) => `mem.ndjson:${line}`);
    expect(dlqOrigins(dir)).toEqual(rejectedLines);

    // The process "died" right after that checkpoint: the output and dead-letter file went on growing.
    writeFileSync(join(dir, 'out', 'ckpt.json'), stale!);
    const second = await runCollecting(pipeline, registry({ durable: true }));
    expect(second.report.status).toBe('completed');
    expect(store.opened.at(-1)).toEqual({ rows: keptRows });
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 200).filter((id) => id % 7 !== 0));
    expect(dlqOrigins(dir)).toEqual(rejectedLines);
    expect(second.report.counts).toMatchObject({ read: 200, written: 200 - 28, rejected: 28 });
  });

  it('resumes from a checkpoint taken with out-of-order acknowledgements, re-sending exactly the unacknowledged', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 300, concurrency: 3, ...withCheckpoint });
    // The second sink call is held until a checkpoint has recorded later batches acknowledged before
    // it (the first is acknowledged, so the checkpoint has a watermark origin and emits its event), so the out-of-order checkpoint exists whatever the machine's speed (bounded wait: the
    // assertions below fail rather than hang if it never comes).
    let calls = 0;
    let releaseSecond = () => {};
    const secondHeld = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const script = { answer: () => ({ status: 'written' as const }), delayMs: 1 };
    const registry = registryWith(probe, store, script);
    const sink = registry.get('memory', 'sink');
    registry.register({
      ...sink,
      name: 'uneven',
      create: async (config: never, ctx: Parameters<typeof sink.create>[1]) => {
        const inner = await sink.create(config, ctx);
        return {
          ...inner,
          write: async (batch: Parameters<typeof inner.write>[0]) => {
            calls += 1;
            if (calls === 2) await Promise.race([secondHeld, new Promise((r) => setTimeout(r, 10_000))]);
            return inner.write(batch);
          },
        };
      },
    });
    const uneven = { ...pipeline, config: { ...pipeline.config, sink: { use: 'uneven' } } };
    let stale: CheckpointData | undefined;
    let staleText = '';
    const handle = runPipeline(uneven, registry, { checkpointIntervalMs: 3 });
    handle.events.subscribe((event) => {
      if (event.type !== 'checkpoint' || stale) return;
      const text = readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8');
      const data = JSON.parse(text) as CheckpointData;
      if (data.above.length > 0) {
        [stale, staleText] = [data, text];
        releaseSecond();
      }
    });
    expect((await handle.result).status).toBe('completed');
    expect(stale).toBeDefined();
    expect(stale!.above.every(([first]) => first > stale!.watermark + 1)).toBe(true);

    writeFileSync(join(dir, 'out', 'ckpt.json'), staleText);
    // Re-run into an empty target that records what it is sent.
    const resent = sinkStore();
    const plain = registryWith(probe, resent);
    plain.register({ ...plain.get('memory', 'sink'), name: 'uneven' });
    const second = await runCollecting(uneven, plain);
    const above = stale!.above.flatMap(([first, last]) => range(first, last));
    const acknowledged = new Set([...range(1, stale!.watermark), ...above]);
    expect(resent.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(range(1, 300).filter((id) => !acknowledged.has(id)));
    expect(second.report.counts.resumedSkipped).toBe(above.length);
    expect(probe.lastResumeAfter).toEqual(stale!.watermarkOrigin);
  });

  it('refuses to resume over changed inputs, and --fresh starts over', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 50, ...withCheckpoint });
    await runCollecting(pipeline, registryWith(probe, store, { durable: true, throwOnCall: 2 }));
    expect(store.rows).toHaveLength(10);

    probe.fingerprint = 'fp-2';
    const refused = runCollecting(pipeline, registryWith(probe, store, { durable: true }));
    await expect(refused).rejects.toBeInstanceOf(CheckpointMismatchError);
    await expect(refused).rejects.toThrow(/checkpoint .*ckpt\.json belongs to another run; what changed:\n {2}the inputs changed since.*--fresh/s);
    expect(store.opened).toHaveLength(1);
    expect(probe.closed).toBe(2);

    const fresh = await runCollecting(pipeline, registryWith(probe, store, { durable: true }), { fresh: true });
    expect(fresh.report.status).toBe('completed');
    expect(store.opened.at(-1)).toBeUndefined();
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 50));
    expect(fresh.report.counts.read).toBe(50);
  });

  it('starts over, saying so, when the checkpoint acknowledged nothing and the inputs or settings changed; its target stays bound', async () => {
    const dir = tempDir();
    const store = sinkStore();
    // A source that checks its inputs before the first record, as the auth0 source's password check does.
    let inputs = 'wrong password file';
    const checked = definePlugin({
      name: 'checked',
      kind: 'source',
      description: 'stops before its first record while its inputs are wrong',
      schema: { type: 'object', properties: { count: { type: 'integer' }, minShare: { type: 'number' } } },
      create: (config: { count: number; minShare?: number }) => ({
        async *read() {
          if (inputs.startsWith('wrong') && config.minShare !== 0) throw new FatalError(`password export: ${inputs}`, 'PASSWORD_EXPORT_UNUSABLE');
          for (let line = 1; line <= config.count; line++) yield { origin: { file: 'mem', line, offset: line }, data: { id: line, name: `user-${line}` } };
        },
        fingerprint: async () => inputs,
        close: async () => {},
      }),
    });
    const registry = (target = true) => {
      const withChecked = registryWith(sourceProbe(), store, { durable: true, target });
      withChecked.register(checked);
      return withChecked;
    };
    const base = pipelineOf(dir, { ...withCheckpoint, sinkWith: { url: 'http://rehearsal' } });
    const pipeline = (source: { [key: string]: unknown }, url = 'http://rehearsal') => ({
      ...base,
      config: { ...base.config, source: { use: 'checked', with: { count: 30, ...source } }, sink: { use: 'memory', with: { url } } },
    });
    const stopped = async () => {
      const run = await runCollecting(pipeline({}), registry());
      expect(run.report).toMatchObject({ status: 'failed', exitCode: 1 });
      // The stopped run leaves a checkpoint that acknowledged nothing.
      expect(readCheckpoint(dir)).toMatchObject({ completed: false, watermark: 0, above: [], dlqBytes: 0 });
      expect(store.rows).toHaveLength(0);
    };

    await stopped();
    inputs = 'fixed password file';
    const fixed = await runCollecting(pipeline({}), registry());
    expect(fixed.report).toMatchObject({ status: 'completed', exitCode: 0, counts: { read: 30, written: 30 } });
    expect(fixed.report.resumedFrom).toBeUndefined();
    const notes = fixed.events.filter((e) => e.type === 'log' && e.message.startsWith('starting over'));
    expect(notes).toEqual([
      expect.objectContaining({
        message: `starting over: checkpoint ${join(dir, 'out', 'ckpt.json')} is of a run that ended before any user was written or refused, and since then the inputs changed`,
      }),
    ]);

    // The check turned off instead (a setting) over the same stopped run: starts over too.
    store.rows.length = 0;
    inputs = 'wrong again';
    await expect(runCollecting(pipeline({}), registry(), { fresh: true })).resolves.toMatchObject({ report: { exitCode: 1 } });
    const unchecked = await runCollecting(pipeline({ minShare: 0 }), registry());
    expect(unchecked.report).toMatchObject({ status: 'completed', counts: { written: 30 } });
    expect(unchecked.events).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/and since then setting source\.with\.minShare: \(not set\) → 0$/) }));

    // Another target is still refused, even over a checkpoint that acknowledged nothing.
    await expect(runCollecting(pipeline({}), registry(), { fresh: true })).resolves.toMatchObject({ report: { exitCode: 1 } });
    inputs = 'fixed';
    await expect(runCollecting(pipeline({}, 'http://production'), registry())).rejects.toThrow(/target url: http:\/\/rehearsal → http:\/\/production/);
    // And a checkpoint that acknowledged users is refused for new inputs, as before.
    const partial = await runCollecting(pipeline({}), registry());
    expect(partial.report.status).toBe('completed');
    inputs = 'changed after a completed run';
    await expect(runCollecting(pipeline({}), registry())).rejects.toBeInstanceOf(CheckpointMismatchError);
  });

  it('does nothing when re-run after completing', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 20, ...withCheckpoint });
    await runCollecting(pipeline, registryWith(probe, store, { durable: true }));
    const pulled = probe.pulled;
    const again = await runCollecting(pipeline, registryWith(probe, store, { durable: true }));
    expect(again.report).toMatchObject({ status: 'completed', alreadyCompleted: true, exitCode: 0, counts: { written: 20 } });
    expect(again.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/already completed/) }));
    expect(probe.pulled).toBe(pulled);
    expect(store.rows).toHaveLength(20);
    expect(store.opened).toHaveLength(1);
  });

  it('on abort drains what is in flight, saves the checkpoint, reports interrupted (130), then resumes', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 100, ...withCheckpoint });
    const controller = new AbortController();
    probe.afterYield = (line) => line === 35 && controller.abort();
    const first = await runCollecting(pipeline, registryWith(probe, store, { durable: true, delayMs: 2 }), { signal: controller.signal });
    expect(first.report).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect([probe.closed, store.closed]).toEqual([1, 1]);
    // Everything read before the stop was delivered, including the partial batch.
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 35));
    expect(probe.pulled).toBeLessThanOrEqual(36);
    expect(readCheckpoint(dir)).toMatchObject({ watermark: 35, completed: false });
    expect(first.events).toContainEqual({ type: 'checkpoint', seq: 35, origin: { file: 'mem.ndjson', line: 35, offset: 3400 } });

    probe.afterYield = undefined;
    const second = await runCollecting(pipeline, registryWith(probe, store, { durable: true }));
    expect(store.rows.map((r) => r.id)).toEqual(range(1, 100));
    expect(second.report.counts).toMatchObject({ read: 100, written: 100 });
  });

  it('keeps no checkpoint and no dead-letter lines from an earlier run when none is configured', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    probe.malformed.add(2);
    const store = sinkStore();
    await runCollecting(pipelineOf(dir, { count: 5 }), registryWith(probe, store));
    await runCollecting(pipelineOf(dir, { count: 5 }), registryWith(probe, store));
    expect(dlqOrigins(dir)).toEqual(['mem.ndjson:2']);
    expect(store.rows).toHaveLength(4);
    expect(existsSync(join(dir, 'out', 'ckpt.json'))).toBe(false);
  });
});
