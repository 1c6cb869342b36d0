// `startRetry` through the runner with in-memory plugins: the dead letters of a run replayed from
// their original records through the (fixed) pipeline, with their own checkpoint, dead-letter file
// and report, whose combined totals add up with the run's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError, ConfigError, FatalError } from '../errors.js';
import type { LoadedPipeline, RunReport } from '../pipeline.js';
import { pipelineOf, registryWith, runCollecting, sinkStore, sourceProbe, tempDir } from '../runner/test-plugins.test-helpers.js';
import { startRetry } from './retry-pipeline.js';
import { standingDeadLetterOrigins } from './standing-dead-letters.js';

function lines(file: string): Array<{ stage: string; reason: string; origin: string; record: unknown }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** A run of 20 users: line 4 malformed (source), odd ids rejected by the transform: 11 dead letters. */
async function originalRun(dir: string, sinkWith: { [key: string]: unknown } = {}) {
  const probe = sourceProbe();
  probe.malformed.add(4);
  const store = sinkStore();
  const pipeline = pipelineOf(dir, { count: 20, transforms: [{ use: 'reject-odd' }], checkpoint: { path: 'out/ckpt.json' }, sinkWith });
  const { report } = await runCollecting(pipeline, registryWith(probe, store, { target: true }));
  expect(report.counts).toMatchObject({ read: 20, written: 9, rejected: 11 });
  return { store, pipeline };
}

/** The fixed pipeline: no odd-id rule any more, multiples of 5 skipped; the sink still refuses id 7. */
function fixedPipeline(dir: string, sinkWith: { [key: string]: unknown } = {}): LoadedPipeline {
  return pipelineOf(dir, { count: 20, transforms: [{ use: 'skip-every', with: { every: 5 } }], checkpoint: { path: 'out/ckpt.json' }, sinkWith });
}

const refuseSeven = {
  target: true,
  answer: (record: { id: number }) => (record.id === 7 ? { status: 'rejected' as const, reason: 'still refused' } : { status: 'written' as const }),
};

async function finish(started: Awaited<ReturnType<typeof startRetry>>): Promise<RunReport> {
  return await started.handle.result;
}

describe('startRetry', () => {
  it('replays the transform and sink dead letters from their original records; the totals add up with the run', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir);
    const from = join(dir, 'out', 'dlq.ndjson');
    const started = await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, refuseSeven), { from });
    expect(started.dir).toBe(join(dir, 'out', 'dlq.retry'));
    expect(started.plan).toMatchObject({ deadLetters: 11, selected: 11, replayable: 10, notReplayable: 1 });
    expect(started.notes[0]).toMatch(/^1 of the 11 selected dead letters cannot be replayed: they were refused by the source itself \(source: malformed JSON: bad \(1\)\); fix the input/);
    const report = await finish(started);

    // The sink got the odd users as the source read them (not as the old transform left them).
    // (The memory sink is opened afresh by each run, like a file: it holds this run's rows.)
    expect(store.rows).toEqual([1, 3, 9, 11, 13, 17, 19].map((id) => ({ id, name: `user-${id}` })));
    expect(report).toMatchObject({ status: 'completed', exitCode: 0, counts: { read: 10, written: 7, skipped: 2, rejected: 1 } });
    expect(report.skippedByReason).toEqual({ 'transform:skip-every': { 'multiple of 5': 2 } });
    const again = lines(join(started.dir, 'dead-letter.ndjson'));
    expect(again).toEqual([{ stage: 'sink:memory', reason: 'still refused', origin: 'mem.ndjson:7', offset: 600, record: { id: 7, name: 'user-7' } }]);
    expect(report.retry).toEqual({
      from,
      deadLetters: 11,
      selected: 11,
      replayable: 10,
      notReplayable: 1,
      notReplayableByReason: { 'source: malformed JSON: bad': 1 },
      amends: join(dir, 'out', 'report.json'),
      combined: {
        counts: { read: 20, written: 16, present: 0, skipped: 2, rejected: 2, undeliverable: 0, auxiliaryRejected: 0 },
        rejectedByReason: { source: { 'malformed JSON: bad': 1 }, 'sink:memory': { 'still refused': 1 } },
        skippedByReason: { 'transform:skip-every': { 'multiple of 5': 2 } },
        writtenWithoutPassword: {},
      },
    });
    const onDisk = JSON.parse(readFileSync(join(started.dir, 'report.json'), 'utf8')) as RunReport;
    expect(onDisk.retry?.combined?.counts.written).toBe(16);
    // The run's own outputs are untouched.
    expect(lines(from)).toHaveLength(11);
    expect((JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as RunReport).retry).toBeUndefined();

    // The same retry again: already completed, nothing sent; the summary still has the totals.
    const rows = store.rows.length;
    const second = await finish(await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, refuseSeven), { from }));
    expect(second.alreadyCompleted).toBe(true);
    expect(store.rows).toHaveLength(rows);
    expect(second.retry?.combined?.counts.written).toBe(16);

    // What verify must still not expect: the source's refusal and the user refused again.
    expect([...(await standingDeadLetterOrigins(from))].sort()).toEqual(['mem.ndjson:4', 'mem.ndjson:7']);

    // A retry of the retry's dead letters chains: its totals build on the first retry's.
    const chained = await finish(
      await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, { target: true }), { from: join(started.dir, 'dead-letter.ndjson') }),
    );
    expect(chained.counts).toMatchObject({ read: 1, written: 1 });
    expect(chained.retry?.combined).toMatchObject({
      counts: { read: 20, written: 17, skipped: 2, rejected: 1 },
      rejectedByReason: { source: { 'malformed JSON: bad': 1 } },
    });
    expect([...(await standingDeadLetterOrigins(from))]).toEqual(['mem.ndjson:4']);
  });

  it('a dry run says where the migration would stand', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir);
    const report = await finish(await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, refuseSeven), { from: join(dir, 'out', 'dlq.ndjson'), dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, counts: { read: 10, transformed: 8, skipped: 2, written: 0 } });
    // Nothing sent (not even id 7, which the sink would refuse): all 8 would be written.
    expect(report.retry?.combined?.counts).toMatchObject({ written: 17, skipped: 2, rejected: 1 });
    expect(report.retry?.combined?.rejectedByReason).toEqual({ source: { 'malformed JSON: bad': 1 } });
  });

  it('--reason selects a subset, in a folder of its own; one that selects nothing or nothing replayable stops', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir);
    const from = join(dir, 'out', 'dlq.ndjson');
    const registry = registryWith(sourceProbe(), store, { target: true });
    // "odd id" matches the 10 transform rejects; "^transform:" (stage: reason) too.
    const started = await startRetry(fixedPipeline(dir), registry, { from, reason: '^TRANSFORM:reject-odd: odd' });
    expect(started.dir).toMatch(/out\/dlq\.retry-transform-reject-odd-odd-[0-9a-f]{6}$/);
    expect(started.plan).toMatchObject({ selected: 10, replayable: 10, notReplayable: 0 });
    expect((await finish(started)).counts).toMatchObject({ read: 10, written: 8, skipped: 2 });

    await expect(startRetry(fixedPipeline(dir), registry, { from, reason: 'no such reason' })).rejects.toThrow(ConfigError);
    await expect(startRetry(fixedPipeline(dir), registry, { from, reason: 'no such reason' })).rejects.toThrow(
      /--reason: "no such reason" selects none of the 11 dead letters of .*dlq\.ndjson; the most common are: transform:reject-odd: odd id \(10\); source: malformed JSON: bad \(1\)/,
    );
    await expect(startRetry(fixedPipeline(dir), registry, { from, reason: 'malformed' })).rejects.toThrow(FatalError);
    await expect(startRetry(fixedPipeline(dir), registry, { from, reason: '(' })).rejects.toThrow(/--reason: not a regular expression/);
  });

  it('resumes an interrupted retry without sending a record twice', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir);
    const from = join(dir, 'out', 'dlq.ndjson');
    const controller = new AbortController();
    const stopAtNine = { target: true, durable: true, batching: { maxRecords: 1 }, answer: (record: { id: number }) => {
      if (record.id === 9) controller.abort();
      return { status: 'written' as const };
    } };
    const first = await finish(await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, stopAtNine), { from, signal: controller.signal, checkpointIntervalMs: 5 }));
    expect(first.status).toBe('interrupted');
    // Not finished: the users not retried yet stay rejected in the totals.
    expect(first.retry?.combined?.rejectedByReason.retry).toEqual({ 'not retried yet (the retry did not finish): run the retry again': first.retry!.combined!.counts.rejected - 1 });
    const second = await finish(await startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store, { target: true, durable: true }), { from }));
    expect(second.status).toBe('completed');
    const ids = store.rows.map((row) => row.id);
    expect(ids).toEqual([1, 3, 7, 9, 11, 13, 17, 19]);
    expect(second.retry?.combined?.counts).toMatchObject({ written: 17, skipped: 2, rejected: 1 });
  });

  it('refuses a sink that writes elsewhere than the run that refused the records', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir, { url: 'https://staging.example' });
    const from = join(dir, 'out', 'dlq.ndjson');
    const started = await startRetry(fixedPipeline(dir, { url: 'https://prod.example' }), registryWith(sourceProbe(), store, { target: true }), { from });
    const error = await started.handle.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointMismatchError);
    expect((error as Error).message).toContain(`this run would write elsewhere than the run that wrote ${from}:\n  target url: https://staging.example → https://prod.example`);
    expect(existsSync(join(started.dir, 'checkpoint.json'))).toBe(false);
  });

  it('refuses --out on the folder of the run: its report would be overwritten', async () => {
    const dir = tempDir();
    const { store } = await originalRun(dir);
    await expect(startRetry(fixedPipeline(dir), registryWith(sourceProbe(), store), { from: join(dir, 'out', 'dlq.ndjson'), out: join(dir, 'out') })).rejects.toThrow(
      /--out: the retry would write .*\/out\/report\.json, which is the run's report\.json: give the retry a folder of its own/,
    );
  });
});
