// A full disk while writing the checkpoint or the report: a real ENOSPC, from /dev/full (writable
// by everyone, no privileges needed), reached through the temp file's path.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from './atomic-file.js';
import { CheckpointStore } from './checkpoint-store.js';

const hasDevFull = existsSync('/dev/full');

describe('writeFileAtomically', () => {
  it('replaces the file whole, with the mode asked, through a symlink-free temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-atomic-'));
    const file = join(dir, 'sub', 'report.json');
    await writeFileAtomically(file, 'one\n', 0o600);
    await writeFileAtomically(file, 'two\n', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['report.json']);
  });

  it.skipIf(!hasDevFull)('on a full disk keeps the previous file and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-atomic-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, 'previous\n');
    symlinkSync('/dev/full', join(dir, `.report.json.${process.pid}.tmp`));
    await expect(writeFileAtomically(file, 'x'.repeat(100_000), 0o600)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it.skipIf(!hasDevFull)('a checkpoint save on a full disk fails without a stray temp checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-atomic-'));
    symlinkSync('/dev/full', join(dir, `.ckpt.json.${process.pid}.tmp`));
    const store = new CheckpointStore(join(dir, 'ckpt.json'));
    await expect(store.save({ watermark: 1 } as never)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
