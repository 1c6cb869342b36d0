// Interrupting a copy — kill -9, or Ctrl-C (SIGINT) — and running it again gives every input
// record exactly once in the output; a changed input is refused until --fresh.
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duplicatesAndCount, makeTempDir, readNdjson, runCli, startCli, userLines, waitFor, writeSlowCopy } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const out = () => join(temp.dir, 'out', 'users.ndjson');
const checkpoint = () => join(temp.dir, 'out', 'checkpoint.json');
/** Re-runs go at full speed. */
const unthrottled = ['--set', 'transforms.0.with.delayMs=0'];

/** A copy slowed by the test-only throttle transform, with a checkpoint and a dead-letter file. */
function slowCopy(records: number, throttle: { every: number; delayMs: number }): void {
  writeSlowCopy(temp.dir, records, throttle);
}

/** Starts the copy and resolves once a checkpoint and some output exist (the run is mid-way). */
async function startAndWaitForProgress(): Promise<ReturnType<typeof startCli>> {
  const running = startCli(['run', 'copy.yaml'], { cwd: temp.dir });
  await waitFor(() => existsSync(checkpoint()) && existsSync(out()) && statSync(out()).size > 0, 'a checkpoint and some output');
  return running;
}

/** Every input id exactly once in the output. */
function expectExactlyOnce(records: number): void {
  const ids = readNdjson<{ id: string }>(out()).map((record) => record.id);
  const { duplicates, distinct } = duplicatesAndCount(ids);
  expect(duplicates.slice(0, 5)).toEqual([]);
  expect(distinct).toBe(records);
  expect(ids).toHaveLength(records);
}

describe('kill -9 in the middle of a copy', () => {
  it('a re-run resumes from the checkpoint and the output holds every record exactly once', async () => {
    const records = 200_000;
    slowCopy(records, { every: 1000, delayMs: 20 });
    const running = await startAndWaitForProgress();
    running.child.kill('SIGKILL');
    const killed = await running.done;
    expect(killed.signal).toBe('SIGKILL');
    const linesAtKill = readNdjson(out()).length;
    expect(linesAtKill).toBeLessThan(records);

    const rerun = await runCli(['run', 'copy.yaml', ...unthrottled], { cwd: temp.dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/resuming after in\.ndjson:\d+/);
    expect(rerun.stdout).toMatch(/resumed after in\.ndjson:\d+/);
    expectExactlyOnce(records);
  });
});

describe('Ctrl-C (SIGINT) during a copy', () => {
  it('drains, saves the checkpoint, prints the summary and exits 130; a re-run completes exactly once', async () => {
    const records = 50_000;
    slowCopy(records, { every: 200, delayMs: 20 });
    const running = await startAndWaitForProgress();
    running.child.kill('SIGINT');
    const interrupted = await running.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toContain('slow-copy: interrupted');
    expect(interrupted.stdout).toMatch(/read\s+[\d,]+\n/);
    expect(interrupted.stderr).toMatch(/idflow: interrupted: checkpoint saved to .*checkpoint\.json; run "idflow run copy\.yaml" again to resume/);
    expect(existsSync(checkpoint())).toBe(true);
    expect(readNdjson(out()).length).toBeLessThan(records);

    const rerun = await runCli(['run', 'copy.yaml', ...unthrottled], { cwd: temp.dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('slow-copy: completed');
    expect(rerun.stdout).toMatch(/resumed after in\.ndjson:\d+/);
    expectExactlyOnce(records);
  });

  it('a second Ctrl-C exits at once without waiting for the drain; the saved checkpoint still resumes exactly once', async () => {
    const records = 2_000;
    // Long pauses: after the first Ctrl-C the drain waits for the paused record, so the second one lands during it.
    slowCopy(records, { every: 100, delayMs: 4000 });
    const running = await startAndWaitForProgress();
    running.child.kill('SIGINT');
    await waitFor(() => running.output().stderr.includes('SIGINT: stopping'), 'the first interrupt to be acknowledged');
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('SIGINT again: exiting now without draining');
    expect(result.stdout).not.toContain('slow-copy: interrupted'); // no summary: it did not wait

    const rerun = await runCli(['run', 'copy.yaml', ...unthrottled], { cwd: temp.dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expectExactlyOnce(records);
  });

  it('SIGTERM stops the same way; a changed input then is refused with a clear message, --fresh starts over', async () => {
    const records = 20_000;
    slowCopy(records, { every: 100, delayMs: 20 });
    const running = await startAndWaitForProgress();
    running.child.kill('SIGTERM');
    expect((await running.done).code).toBe(130);

    appendFileSync(join(temp.dir, 'in.ndjson'), `${userLines(1, records + 1)[0]}\n`);
    const refused = await runCli(['run', 'copy.yaml', ...unthrottled], { cwd: temp.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^idflow: .*chang.*--fresh/ms);

    const fresh = await runCli(['run', 'copy.yaml', '--fresh', ...unthrottled], { cwd: temp.dir });
    expect(fresh.code, fresh.stderr).toBe(0);
    expectExactlyOnce(records + 1);
  });
});
