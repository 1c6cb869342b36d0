import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordEnvelope } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { ndjsonSink } from './ndjson-sink.js';
import { contextIn, tempDir } from './ndjson.test-helpers.js';

const records = (ids: number[]): RecordEnvelope[] =>
  ids.map((id) => ({ seq: id, origin: { file: 'in', line: id, offset: 0 }, data: { id, hash: '$2b$10$abc' } }));

describe('ndjson sink', () => {
  it('appends one JSON line per record to a 0600 file, and reports its durable length', async () => {
    const dir = tempDir();
    const sink = await ndjsonSink.create({ path: 'out/users.ndjson' }, contextIn(dir));
    await sink.open?.(undefined);
    expect(await sink.write(records([1, 2]))).toEqual([{ status: 'written' }, { status: 'written' }]);
    await sink.write(records([3]));
    const state = (await sink.checkpointState?.()) as { bytes: number };
    await sink.close();
    const text = readFileSync(join(dir, 'out/users.ndjson'), 'utf8');
    expect(text).toBe('{"id":1,"hash":"$2b$10$abc"}\n{"id":2,"hash":"$2b$10$abc"}\n{"id":3,"hash":"$2b$10$abc"}\n');
    expect(state).toEqual({ bytes: Buffer.byteLength(text) });
    expect(statSync(join(dir, 'out/users.ndjson')).mode & 0o777).toBe(0o600);
  });

  it('cuts the file back to the checkpointed length on resume, and empties it on a fresh run', async () => {
    const dir = tempDir();
    const path = join(dir, 'users.ndjson');
    writeFileSync(path, '{"id":1}\n{"id":2}\n{"id":3, torn', { mode: 0o644 });
    const resumed = await ndjsonSink.create({ path: 'users.ndjson' }, contextIn(dir));
    await resumed.open?.({ bytes: 18 });
    await resumed.write(records([3]));
    await resumed.close();
    expect(readFileSync(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n{"id":3,"hash":"$2b$10$abc"}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const fresh = await ndjsonSink.create({ path: 'users.ndjson' }, contextIn(dir));
    await fresh.open?.(undefined);
    await fresh.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('refuses to resume onto a file shorter than the checkpoint says', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.ndjson'), '{"id":1}\n');
    const sink = await ndjsonSink.create({ path: 'users.ndjson' }, contextIn(dir));
    await expect(sink.open?.({ bytes: 500 })).rejects.toThrow(/users\.ndjson is shorter \(9 bytes\) than the checkpoint says \(500\).*--fresh/);
  });

  it('rejects a record JSON cannot represent, writing the others', async () => {
    const dir = tempDir();
    const sink = await ndjsonSink.create({ path: 'o.ndjson' }, contextIn(dir));
    await sink.open?.(undefined);
    const batch = records([1, 2]);
    batch[0].data = { big: 10n };
    const outcomes = await sink.write(batch);
    await sink.close();
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/cannot be written as JSON: .*BigInt/) });
    expect(outcomes[1]).toEqual({ status: 'written' });
    expect(readFileSync(join(dir, 'o.ndjson'), 'utf8')).toBe('{"id":2,"hash":"$2b$10$abc"}\n');
  });

  it('names its output as its target, so a checkpoint is never applied to another file', async () => {
    const dir = tempDir();
    const sink = await ndjsonSink.create({ path: 'out/users.ndjson' }, contextIn(dir));
    expect(await sink.target?.()).toEqual({ kind: 'ndjson', fields: { path: join(dir, 'out', 'users.ndjson') } });
  });

  it('preflight: passes when the folder can be made, fails at once when a file is in the way or the output is a folder', async () => {
    const dir = tempDir();
    await ndjsonSink.create({ path: 'a/b/users.ndjson' }, contextIn(dir)).preflight?.({ transforms: [] });
    expect(existsSync(join(dir, 'a'))).toBe(false); // a preflight creates nothing
    writeFileSync(join(dir, 'blocker'), '');
    await expect(ndjsonSink.create({ path: 'blocker/users.ndjson' }, contextIn(dir)).preflight?.({ transforms: [] })).rejects.toThrow(
      `cannot write blocker/users.ndjson (${join(dir, 'blocker', 'users.ndjson')}): ${join(dir, 'blocker')} is a file, not a folder`,
    );
    mkdirSync(join(dir, 'folder'));
    await expect(ndjsonSink.create({ path: 'folder' }, contextIn(dir)).preflight?.({ transforms: [] })).rejects.toThrow(/it is a folder/);
  });

  it.skipIf(!existsSync('/dev/full'))('writes into a device as it is (no chmod, no truncate) and fails with the real ENOSPC of a full one', async () => {
    const dir = tempDir();
    symlinkSync('/dev/full', join(dir, 'full.ndjson'));
    const modeBefore = statSync('/dev/full').mode;
    const sink = await ndjsonSink.create({ path: 'full.ndjson' }, contextIn(dir));
    await sink.open?.(undefined);
    await expect(sink.write(records([1]))).rejects.toThrow('cannot write full.ndjson: no space left on device');
    await expect(sink.write(records([2]))).rejects.toThrow('cannot write full.ndjson: no space left on device');
    await sink.close();
    expect(statSync('/dev/full').mode).toBe(modeBefore);
    await expect(ndjsonSink.create({ path: 'full.ndjson' }, contextIn(dir)).open?.({ bytes: 10 })).rejects.toThrow(/not a regular file.*--fresh/);
  });
});
