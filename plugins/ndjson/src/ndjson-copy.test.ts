// The plugins through the real runner: a copy with malformed lines, and a resume after a crash.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, type LoadedPipeline, type RunEvent, runPipeline, type Sink } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import ndjsonPlugins, { ndjsonSink } from './index.js';
import { tempDir } from './ndjson.test-helpers.js';

function copyPipeline(dir: string): LoadedPipeline {
  return {
    file: join(dir, 'copy.yaml'),
    baseDir: dir,
    config: {
      version: 1,
      name: 'copy',
      source: { use: 'ndjson', with: { path: 'in.ndjson' } },
      sink: { use: 'ndjson', with: { path: 'out/users.ndjson' } },
      dlq: { path: 'out/dlq.ndjson' },
      checkpoint: { path: 'out/checkpoint.json' },
    },
  };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: i + 1, email: `u${i + 1}@example.com` }));

describe('ndjson → ndjson through the runner', () => {
  it('copies every good line and puts malformed ones in the dead-letter output with their line numbers', async () => {
    const dir = tempDir();
    const input = lines(2500);
    input[9] = '{"id":10,';
    input[1999] = 'oops';
    writeFileSync(join(dir, 'in.ndjson'), `${input.join('\n')}\n`);
    const registry = createRegistry();
    registry.register(ndjsonPlugins);
    const handle = runPipeline(copyPipeline(dir), registry);
    const events: RunEvent[] = [];
    handle.events.subscribe((event) => events.push(event));
    const report = await handle.result;
    expect(events[0]).toEqual({ type: 'start', pipeline: 'copy', resumedFrom: undefined, totalBytes: statSync(join(dir, 'in.ndjson')).size });
    expect(report).toMatchObject({ status: 'completed', exitCode: 0, counts: { read: 2500, written: 2498, rejected: 2 } });
    const output = readFileSync(join(dir, 'out/users.ndjson'), 'utf8').trimEnd().split('\n');
    expect(output).toEqual(input.filter((_, i) => i !== 9 && i !== 1999));
    const dlq = readFileSync(join(dir, 'out/dlq.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(dlq.map((d) => [d.stage, d.origin, d.record])).toEqual([
      ['source', 'in.ndjson:10', '{"id":10,'],
      ['source', 'in.ndjson:2000', 'oops'],
    ]);
  });

  it('resumes after a crash with every record in the output exactly once', async () => {
    const dir = tempDir();
    const input = lines(5000);
    writeFileSync(join(dir, 'in.ndjson'), `${input.join('\n')}\n`);
    // A sink that dies on its third batch, after the first two were written.
    let calls = 0;
    const crashing = {
      ...ndjsonSink,
      create: async (...args: Parameters<typeof ndjsonSink.create>): Promise<Sink> => {
        const sink = await ndjsonSink.create(...args);
        return {
          batching: sink.batching,
          open: (state) => sink.open!(state),
          checkpointState: () => sink.checkpointState!(),
          close: () => sink.close(),
          write: (batch) => (++calls === 3 ? Promise.reject(new Error('EIO: i/o error')) : sink.write(batch)),
        };
      },
    };
    const first = createRegistry();
    first.register([ndjsonPlugins[0], crashing]);
    const failed = await runPipeline(copyPipeline(dir), first).result;
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toBe('sink ndjson failed: EIO: i/o error');

    const second = createRegistry();
    second.register(ndjsonPlugins);
    const resumed = await runPipeline(copyPipeline(dir), second).result;
    expect(resumed).toMatchObject({ status: 'completed', counts: { read: 5000, written: 5000 }, resumedFrom: { line: 2000 } });
    expect(readFileSync(join(dir, 'out/users.ndjson'), 'utf8')).toBe(`${input.join('\n')}\n`);
    // And once completed, a re-run writes nothing more.
    const again = await runPipeline(copyPipeline(dir), second).result;
    expect(again.alreadyCompleted).toBe(true);
    expect(readFileSync(join(dir, 'out/users.ndjson'), 'utf8')).toBe(`${input.join('\n')}\n`);
  });
});
