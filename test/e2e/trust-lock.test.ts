// Issue 13 case 6: two runs on the same output folder at once. The second one is refused (exit 2)
// naming the pid that holds the folder; the first one finishes with every record once. A lock
// left by a run killed with -9 is taken over by the next run, which says so.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duplicatesAndCount, makeTempDir, readNdjson, runCli, startCli, waitFor, writeSlowCopy } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const records = 30_000;
const out = () => join(temp.dir, 'out', 'users.ndjson');

function slowCopy(): void {
  writeSlowCopy(temp.dir, records, { every: 200, delayMs: 20 });
}

function expectExactlyOnce(): void {
  const ids = readNdjson<{ id: string }>(out()).map((record) => record.id);
  const { duplicates, distinct } = duplicatesAndCount(ids);
  expect(duplicates.slice(0, 5)).toEqual([]);
  expect(distinct).toBe(records);
}

async function startAndWaitForProgress(): Promise<ReturnType<typeof startCli>> {
  const running = startCli(['run', 'copy.yaml'], { cwd: temp.dir });
  await waitFor(() => existsSync(join(temp.dir, 'out', 'checkpoint.json')) && existsSync(out()) && statSync(out()).size > 0, 'a checkpoint and some output');
  return running;
}

describe('two runs on the same output folder', () => {
  it('refuses the second one with exit 2, naming the pid of the first, which finishes exactly once', async () => {
    slowCopy();
    const first = await startAndWaitForProgress();
    const second = await runCli(['run', 'copy.yaml', '--set', 'transforms.0.with.delayMs=0'], { cwd: temp.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`idflow: ${join(temp.dir, 'out')} is in use by another idflow run (pid ${first.child.pid}, slow-copy, since `);
    expect(second.stdout).toBe('');

    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    const rest = await runCli(['run', 'copy.yaml', '--set', 'transforms.0.with.delayMs=0'], { cwd: temp.dir });
    expect(rest.code, rest.stderr).toBe(0);
    expectExactlyOnce();
    expect(existsSync(join(temp.dir, 'out', '.idflow.lock'))).toBe(false);
  });

  it('takes over the lock a killed run left behind, and says so', async () => {
    slowCopy();
    const killed = await startAndWaitForProgress();
    killed.child.kill('SIGKILL');
    await killed.done;
    const lock = JSON.parse(readFileSync(join(temp.dir, 'out', '.idflow.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(killed.child.pid);

    const next = await runCli(['run', 'copy.yaml', '--set', 'transforms.0.with.delayMs=0'], { cwd: temp.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`took over the lock of ${join(temp.dir, 'out')}: the run that held it (pid ${killed.child.pid}, slow-copy, since `);
    expectExactlyOnce();
  });
});
