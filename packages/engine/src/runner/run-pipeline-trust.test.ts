// The runner never claims what it did not do: a checkpoint bound to its target and settings, the
// sink preflighted before the source is read, a circuit breaker, time limits on plugins, honest
// statuses (`incomplete`, `nothing-delivered`), one run per output folder, temp folders swept.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError, FatalError, OutputLockedError } from '../errors.js';
import type { LoadedPipeline } from '../pipeline.js';
import { definePlugin, type RecordEnvelope } from '../plugin.js';
import { LOCK_FILE } from './output-lock.js';
import { runPipeline } from './run-pipeline.js';
import { pipelineOf, registryWith, runCollecting, sinkStore, sourceProbe, type TestRecord, tempDir } from './test-plugins.test-helpers.js';

const withCheckpoint = { checkpoint: { path: 'out/ckpt.json' } };

function sinkWith(pipeline: LoadedPipeline, options: { [key: string]: unknown }): LoadedPipeline {
  return { ...pipeline, config: { ...pipeline.config, sink: { use: 'memory', with: options } } };
}

describe('runPipeline: the checkpoint is bound to the target and the settings', () => {
  it('refuses another target or other settings, saying what changed; tuning and secrets may change', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const script = { durable: true, target: true, throwOnCall: 2 };
    const rehearsal = pipelineOf(dir, { count: 50, ...withCheckpoint, sinkWith: { url: 'http://rehearsal:8080', mode: 'a', batchSize: 10, token: 'secret-1' } });
    const first = await runCollecting({ ...rehearsal, setFlags: ['sink.with.url=http://rehearsal:8080', 'sink.with.token=***'] }, registryWith(probe, store, script));
    expect(first.report.status).toBe('failed');
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8'));
    expect(saved.target).toEqual({ kind: 'memory', fields: { url: 'http://rehearsal:8080' } });
    expect(saved.settings).toEqual({ 'source.use': '"memory"', 'source.with.count': '50', 'sink.with.mode': '"a"' });
    expect(JSON.stringify(saved)).not.toContain('secret-1');

    const production = sinkWith(rehearsal, { url: 'http://production:8080', mode: 'b', batchSize: 10, token: 'secret-1' });
    const refused = runCollecting(production, registryWith(probe, store, { ...script, throwOnCall: undefined }));
    await expect(refused).rejects.toBeInstanceOf(CheckpointMismatchError);
    const message = ((await refused.catch((error: unknown) => error)) as Error).message;
    expect(message).toContain('belongs to another run; what changed:');
    expect(message).toContain('  target url: http://rehearsal:8080 → http://production:8080');
    expect(message).toContain('  setting sink.with.mode: "a" → "b"');
    expect(message).toContain('That run was started with: --set sink.with.url=http://rehearsal:8080 --set sink.with.token=***');
    expect(message).toMatch(/--fresh.*another OUT_DIR/s);
    expect(message).not.toContain('secret-1');
    expect(store.opened).toHaveLength(1); // the refused run opened nothing for writing

    // Tuning (batchSize) and credentials (token) may change between a run and its resume.
    const resumed = sinkWith(rehearsal, { url: 'http://rehearsal:8080', mode: 'a', batchSize: 99, token: 'secret-2' });
    const second = await runCollecting(resumed, registryWith(probe, store, { ...script, throwOnCall: undefined }));
    expect(second.report).toMatchObject({ status: 'completed', resumedFrom: { line: 10 } });
  });

  it('refuses a completed checkpoint of another target instead of saying "nothing to do"', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const rehearsal = pipelineOf(dir, { count: 20, ...withCheckpoint, sinkWith: { url: 'http://rehearsal' } });
    expect((await runCollecting(rehearsal, registryWith(sourceProbe(), store, { durable: true, target: true }))).report.status).toBe('completed');
    const production = sinkWith(rehearsal, { url: 'http://production' });
    const refused = runCollecting(production, registryWith(sourceProbe(), store, { durable: true, target: true }));
    await expect(refused).rejects.toThrow(/belongs to another run \(which completed\); what changed:\n {2}target url: http:\/\/rehearsal → http:\/\/production/);
    // --fresh is the way.
    const fresh = await runCollecting(production, registryWith(sourceProbe(), store, { durable: true, target: true }), { fresh: true });
    expect(fresh.report).toMatchObject({ status: 'completed', counts: { written: 20 } });
  });
});

describe('runPipeline: preflight', () => {
  it('preflights the sink before the source is read, and a failure ends the run at once with a report', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    const preflight = async () => {
      throw new FatalError('ZITADEL at http://127.0.0.1:1 is not reachable: connect ECONNREFUSED', 'TARGET_UNREACHABLE');
    };
    const { report } = await runCollecting(pipelineOf(dir, { count: 50, ...withCheckpoint }), registryWith(probe, store, { preflight }));
    expect(report).toMatchObject({ status: 'failed', exitCode: 1, error: { code: 'TARGET_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') } });
    expect(store.preflights).toBe(1);
    expect(store.pulledAtPreflight).toBe(0);
    expect(probe.pulled).toBe(0);
    expect(store.opened).toEqual([]);
    // Nothing was opened for writing; the report was written, as JSON and as a page.
    for (const file of ['dlq.ndjson', 'ckpt.json', 'failures.csv', 'warnings.csv']) expect(existsSync(join(dir, 'out', file)), file).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))).toMatchObject({ status: 'failed' });
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('ZITADEL at http://127.0.0.1:1 is not reachable: connect ECONNREFUSED');
  });

  it('is not called in a dry run, which says how many users would be written', async () => {
    const store = sinkStore();
    const { report } = await runCollecting(pipelineOf(tempDir(), { count: 30, transforms: [{ use: 'reject-odd' }] }), registryWith(sourceProbe(), store, { preflight: async () => {} }), {
      dryRun: true,
    });
    expect(store.preflights).toBe(0);
    expect(report).toMatchObject({ status: 'completed', dryRun: true, counts: { read: 30, transformed: 15, written: 0, rejected: 15 } });
  });
});

describe('runPipeline: the target goes away', () => {
  it('stops once it has taken nothing for timeouts.targetUnavailable, keeps the checkpoint, and the next run delivers the rest', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    const store = sinkStore();
    let down = false;
    const script = {
      durable: true,
      retry: { attempts: 2, initialDelayMs: 5 },
      delayMs: 2,
      answer: (r: TestRecord) => {
        if (r.id === 300) down = true;
        return down ? { status: 'retryable' as const, reason: 'connect ECONNREFUSED 127.0.0.1:8080' } : { status: 'written' as const };
      },
    };
    const pipeline = pipelineOf(dir, { count: 5000, concurrency: 2, ...withCheckpoint, timeouts: { targetUnavailable: 150 } });
    const first = await runCollecting(pipeline, registryWith(probe, store, script));
    expect(first.report).toMatchObject({ status: 'failed', exitCode: 1, error: { code: 'TARGET_UNAVAILABLE' } });
    expect(first.report.error?.message).toMatch(
      /^stopped: the target of sink memory has taken nothing for \d+(ms|s) \(timeouts\.targetUnavailable: 150ms\); last answer: connect ECONNREFUSED 127\.0\.0\.1:8080\. The users it did not take stay unacknowledged/,
    );
    // Bounded: it stopped long before the source's end, and nothing was dead-lettered.
    expect(probe.pulled).toBeLessThan(5000);
    expect(first.report.counts.undeliverable).toBeGreaterThan(0);
    expect(first.report.counts.rejected).toBe(0);
    expect(readFileSync(join(dir, 'out', 'dlq.ndjson'), 'utf8')).toBe('');
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8'));
    expect(saved.completed).toBe(false);
    expect(saved.watermark).toBeLessThan(300);

    down = false;
    script.answer = () => ({ status: 'written' });
    const second = await runCollecting(pipeline, registryWith(probe, store, script));
    expect(second.report).toMatchObject({ status: 'completed', exitCode: 0, counts: { read: 5000, written: 5000, undeliverable: 0 } });
    const ids = store.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(5000);
    expect(ids).toHaveLength(5000);
  });

  it('does not trip while other records still get through: the odd one out is undeliverable, sent again next time', async () => {
    const store = sinkStore();
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 400, concurrency: 4, timeouts: { targetUnavailable: 1000 } }),
      registryWith(sourceProbe(), store, {
        retry: { attempts: 2, initialDelayMs: 1 },
        delayMs: 2,
        answer: (r) => (r.id === 7 ? { status: 'retryable', reason: 'HTTP 500' } : { status: 'written' }),
      }),
    );
    expect(report).toMatchObject({ status: 'incomplete', exitCode: 1, counts: { written: 399, undeliverable: 1 } });
  });
});

describe('runPipeline: plugins that never answer', () => {
  const hangAt = definePlugin({
    name: 'hang-at',
    kind: 'transform',
    description: 'never answers for the records listed',
    schema: { type: 'object' },
    create: (config: { ids: number[] }) => ({
      apply: (record: RecordEnvelope<TestRecord>) =>
        config.ids.includes(record.data.id) ? new Promise<never>(() => {}) : Promise.resolve({ ok: true as const, value: record.data }),
    }),
  });

  it('rejects the record a transform never answers for, with the reason, and goes on', async () => {
    const dir = tempDir();
    const registry = registryWith(sourceProbe(), sinkStore());
    registry.register(hangAt);
    const { report } = await runCollecting(
      pipelineOf(dir, { count: 20, transforms: [{ use: 'hang-at', with: { ids: [4] } }], timeouts: { transform: 50 } }),
      registry,
    );
    expect(report).toMatchObject({ status: 'completed', counts: { written: 19, rejected: 1 } });
    expect(report.rejectedByReason).toEqual({ 'transform:hang-at': { 'transform:hang-at did not answer within 50ms': 1 } });
  });

  it('stops when a transform times out on three records in a row (stuck)', async () => {
    const registry = registryWith(sourceProbe(), sinkStore());
    registry.register(hangAt);
    const { report } = await runCollecting(
      pipelineOf(tempDir(), { count: 50, transforms: [{ use: 'hang-at', with: { ids: [5, 6, 7] } }], timeouts: { transform: 30 } }),
      registry,
    );
    expect(report).toMatchObject({ status: 'failed', error: { code: 'TRANSFORM_STUCK' } });
    expect(report.error?.message).toMatch(/transform:hang-at did not answer within 30ms for 3 records in a row/);
  });

  it('re-sends a batch whose write never settles, stops on the breaker, and ends with a report even though close hangs too', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const { report, events } = await runCollecting(
      pipelineOf(dir, { count: 30, ...withCheckpoint, timeouts: { sinkWrite: 40, targetUnavailable: 1 } }),
      registryWith(sourceProbe(), store, { hangOnCall: 2, retry: { attempts: 1 } }),
    );
    expect(report).toMatchObject({ status: 'failed', exitCode: 1, error: { code: 'TARGET_UNAVAILABLE' } });
    expect(report.error?.message).toContain('last answer: sink memory did not answer within 40ms');
    expect(events).toContainEqual(expect.objectContaining({ type: 'warning', message: 'close failed: memory: close did not answer within 40ms' }));
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))).toMatchObject({ status: 'failed' });
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('failed (exit code 1)');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'ckpt.json'), 'utf8'))).toMatchObject({ completed: false, watermark: 10, failuresBytes: expect.any(Number), warningsBytes: expect.any(Number) });
  });
});

describe('runPipeline: honest outcomes', () => {
  it('exits 1 when nothing was delivered from a non-empty input, also when re-run after it', async () => {
    const dir = tempDir();
    const probe = sourceProbe();
    for (let line = 1; line <= 40; line++) probe.malformed.add(line);
    const pipeline = pipelineOf(dir, { count: 40, ...withCheckpoint });
    const { report } = await runCollecting(pipeline, registryWith(probe, sinkStore(), { durable: true }));
    expect(report).toMatchObject({ status: 'nothing-delivered', exitCode: 1, counts: { read: 40, rejected: 40, written: 0 } });
    expect(report.error).toEqual({
      code: 'NOTHING_DELIVERED',
      message: 'no user was delivered: all 40 users read were rejected; most common reason: malformed JSON: bad; see the dead-letter output',
    });
    const again = await runCollecting(pipeline, registryWith(probe, sinkStore(), { durable: true }));
    expect(again.report).toMatchObject({ status: 'nothing-delivered', exitCode: 1, alreadyCompleted: true });

    const dry = await runCollecting(pipelineOf(tempDir(), { count: 40 }), registryWith(probe, sinkStore()), { dryRun: true });
    expect(dry.report).toMatchObject({ status: 'nothing-delivered', exitCode: 1 });
    expect(dry.report.error?.message).toMatch(/^no user would be delivered/);
  });

  it('counts refused input that is not a record (a password without a profile) apart from the users read', async () => {
    const registry = registryWith(sourceProbe(), sinkStore());
    registry.register(
      definePlugin({
        name: 'with-orphans',
        kind: 'source',
        description: 'three users and two orphan lines',
        schema: { type: 'object' },
        create: () => ({
          async *read() {
            for (let line = 1; line <= 3; line++) yield { origin: { file: 'profiles', line, offset: line }, data: { id: line, name: `u${line}` } };
            for (let line = 1; line <= 2; line++) yield { origin: { file: 'passwords', line, offset: line }, reject: { reason: 'orphan password' }, auxiliary: true };
          },
          fingerprint: async () => 'x',
          close: async () => {},
        }),
      }),
    );
    const pipeline = pipelineOf(tempDir(), { count: 0 });
    const { report } = await runCollecting({ ...pipeline, config: { ...pipeline.config, source: { use: 'with-orphans' } } }, registry);
    expect(report).toMatchObject({ status: 'completed', counts: { read: 3, written: 3, rejected: 0, auxiliaryRejected: 2 } });
    expect(report.rejectedByReason).toEqual({ source: { 'orphan password': 2 } });
  });

  it('sums every plugin\'s written.without-password.<cause> counters into the report', async () => {
    const registry = registryWith(sourceProbe(), sinkStore());
    const counting = (name: string, cause: string) =>
      definePlugin({
        name,
        kind: 'transform',
        description: 'counts',
        schema: { type: 'object' },
        create: (_config: unknown, ctx) => ({
          apply: (record: RecordEnvelope<TestRecord>) => {
            if (record.data.id % 2 === 0) ctx.count(`written.without-password.${cause}`);
            return { ok: true as const, value: record.data };
          },
        }),
      });
    registry.register([counting('a', 'social'), counting('b', 'social'), counting('c', 'hash-refused')]);
    const { report } = await runCollecting(pipelineOf(tempDir(), { count: 10, transforms: [{ use: 'a' }, { use: 'b' }, { use: 'c' }] }), registry);
    expect(report.writtenWithoutPassword).toEqual({ social: 10, 'hash-refused': 5 });
  });
});

describe('runPipeline: one run per output folder', () => {
  it('refuses a second run on the same folder, naming the pid; takes over a lock left by a dead process', async () => {
    const dir = tempDir();
    const store = sinkStore();
    const pipeline = pipelineOf(dir, { count: 200, ...withCheckpoint });
    const slow = runPipeline(pipeline, registryWith(sourceProbe(), store, { durable: true, delayMs: 5 }));
    while (!existsSync(join(dir, 'out', LOCK_FILE))) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = runCollecting(pipeline, registryWith(sourceProbe(), sinkStore(), { durable: true }));
    await expect(second).rejects.toBeInstanceOf(OutputLockedError);
    await expect(second).rejects.toThrow(new RegExp(`${dir}/out is in use by another idflow run \\(pid ${process.pid}, test, since`));
    expect((await slow.result).status).toBe('completed');
    expect(existsSync(join(dir, 'out', LOCK_FILE))).toBe(false);

    // A lock left by a process that is gone (kill -9) is taken over, with a warning.
    writeFileSync(join(dir, 'out', LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), pipeline: 'test', since: 'then' }));
    const after = await runCollecting(pipeline, registryWith(sourceProbe(), store, { durable: true }), { fresh: true });
    expect(after.report.status).toBe('completed');
    expect(after.events).toContainEqual(
      expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^took over the lock of .*\/out: the run that held it \(pid 4206649, test, since then\) is no longer running/) }),
    );
  });
});

describe('runPipeline: the run temp folder', () => {
  it('gives plugins a private temp folder, removed at the end; a killed run\'s folder is swept by the next run', async () => {
    const root = tempDir();
    const pipelineDir = tempDir();
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = root;
    try {
      // A folder left by a run that was killed (its pid is gone).
      const stale = join(root, 'idflow-run-stale1');
      mkdirSync(stale);
      writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid: 2 ** 22 + 777, host: (await import('node:os')).hostname() }));
      writeFileSync(join(stale, 'hashes.sqlite'), 'secret hashes');
      let seen: string | undefined;
      const registry = registryWith(sourceProbe(), sinkStore());
      registry.register(
        definePlugin({
          name: 'peek',
          kind: 'transform',
          description: 'looks at its temp folder',
          schema: { type: 'object' },
          create: (_config: unknown, ctx) => {
            seen = ctx.tempDir;
            return { apply: (record: RecordEnvelope) => ({ ok: true as const, value: record.data }) };
          },
        }),
      );
      const { events } = await runCollecting(pipelineOf(pipelineDir, { count: 3, transforms: [{ use: 'peek' }] }), registry);
      expect(seen).toMatch(new RegExp(`^${root}/idflow-run-`));
      expect(existsSync(seen!)).toBe(false);
      expect(existsSync(stale)).toBe(false);
      expect(readdirSync(root)).toEqual([]);
      expect(events).toContainEqual(expect.objectContaining({ type: 'log', message: `removed the temporary folder of a run that was killed (pid ${2 ** 22 + 777}): ${stale}` }));
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});
