import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Origin } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { ndjsonSource } from './ndjson-source.js';
import { collect, contextIn, tempDir } from './ndjson.test-helpers.js';

// BOM, CRLF, a blank line, a whitespace-only line, two malformed lines, no final newline.
const MESSY = '\uFEFF{"id":1,"email":"a@x.io"}\r\n{"id":2}\n\n   \r\n{"id":3,}\n{"id":4,"name":"Zoë"}\nnot json\n{"id":5}';

async function readAll(dir: string, file: string, resumeAfter?: Origin) {
  const source = await openSource(dir, file);
  const items = await collect(source.read({ resumeAfter }));
  const progress = source.progress?.();
  await source.close();
  return { items, progress };
}

function openSource(dir: string, file: string) {
  return ndjsonSource.create({ path: file }, contextIn(dir));
}

describe('ndjson source', () => {
  it('reads BOM, CRLF, blank lines and a last line without newline; malformed lines become located rejections', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.ndjson'), MESSY);
    const { items, progress } = await readAll(dir, 'users.ndjson');
    const bytes = Buffer.from(MESSY, 'utf8');
    expect(items.map((i) => (i.reject ? `reject@${i.origin.line}` : JSON.stringify(i.data)))).toEqual([
      '{"id":1,"email":"a@x.io"}',
      '{"id":2}',
      'reject@5',
      '{"id":4,"name":"Zoë"}',
      'reject@7',
      '{"id":5}',
    ]);
    expect(items.map((i) => i.origin.line)).toEqual([1, 2, 5, 6, 7, 8]);
    // Offsets are byte positions of each line in the file.
    for (const item of items.slice(1)) {
      const lineText = bytes.subarray(item.origin.offset).toString('utf8').split('\n')[0].replace(/\r$/, '');
      expect(lineText).toBe(item.reject ? (item.reject.raw as string) : JSON.stringify(item.data));
    }
    expect(items[0].origin).toEqual({ file: 'users.ndjson', line: 1, offset: 0 });
    const malformed = items[2];
    expect(malformed.reject?.reason).toMatch(/^malformed JSON: .*JSON/);
    expect(malformed.reject?.raw).toBe('{"id":3,}');
    expect(items[4].reject?.raw).toBe('not json');
    expect(progress).toEqual({ done: bytes.length, total: bytes.length });
  });

  it('detects gzip by its magic bytes, not its name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain.ndjson'), MESSY);
    writeFileSync(join(dir, 'export.txt'), gzipSync(Buffer.from(MESSY, 'utf8')));
    const plain = await readAll(dir, 'plain.ndjson');
    const gzipped = await readAll(dir, 'export.txt');
    expect(gzipped.items.map((i) => ({ ...i, origin: { ...i.origin, file: 'plain.ndjson' } }))).toEqual(plain.items);
    expect(gzipped.progress?.total).toBe(readFileSync(join(dir, 'export.txt')).length);
  });

  it('resumes strictly after a given origin, for plain files (seek) and gzip (skip)', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i + 1, pad: 'x'.repeat(150 + (i % 97)) }));
    const text = `${lines.join('\n')}\n`; // ~600 KB: lines cross 256 KiB chunk boundaries
    writeFileSync(join(dir, 'big.ndjson'), text);
    writeFileSync(join(dir, 'big.gz'), gzipSync(text));
    for (const file of ['big.ndjson', 'big.gz']) {
      const { items: all } = await readAll(dir, file);
      expect(all).toHaveLength(3000);
      expect(all.every((item, i) => (item.data as { id: number }).id === i + 1 && item.origin.line === i + 1)).toBe(true);
      for (const k of [0, 1, 1776, 2998]) {
        const { items: rest } = await readAll(dir, file, all[k].origin);
        expect(rest).toEqual(all.slice(k + 1));
      }
    }
  });

  it('fingerprints path, size, mtime and content', async () => {
    const dir = tempDir();
    const path = join(dir, 'users.ndjson');
    writeFileSync(path, MESSY);
    const before = await (await openSource(dir, 'users.ndjson')).fingerprint();
    expect(await (await openSource(dir, 'users.ndjson')).fingerprint()).toBe(before);
    const stamp = new Date('2026-01-01T00:00:00Z');
    writeFileSync(path, MESSY.replace('a@x.io', 'b@x.io'));
    utimesSync(path, stamp, stamp);
    const edited = await (await openSource(dir, 'users.ndjson')).fingerprint();
    writeFileSync(path, MESSY.replace('a@x.io', 'c@x.io'));
    utimesSync(path, stamp, stamp);
    // Same size and mtime, different bytes: still a different fingerprint.
    expect(new Set([before, edited, await (await openSource(dir, 'users.ndjson')).fingerprint()]).size).toBe(3);
  });

  it('refuses a missing input with the path as written and as resolved', async () => {
    const dir = tempDir();
    await expect(openSource(dir, 'nope.ndjson')).rejects.toThrow(`cannot read nope.ndjson (${join(dir, 'nope.ndjson')}): no such file`);
  });

  it('fails with the file name when the gzip data is corrupt', async () => {
    const dir = tempDir();
    const gz = gzipSync(Buffer.from(MESSY.repeat(50)));
    writeFileSync(join(dir, 'broken.gz'), gz.subarray(0, gz.length - 30));
    await expect(readAll(dir, 'broken.gz')).rejects.toThrow(/^cannot read broken\.gz: /);
  });
});
