import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readNdjson } from './ndjson-reader.js';

async function readChunks(chunks: string[], startOffset = 0) {
  const items = [];
  for await (const batch of readNdjson(Readable.from(chunks.map((c) => Buffer.from(c))), startOffset)) items.push(...batch);
  return items;
}

describe('readNdjson', () => {
  it('splits lines across chunk borders, with CRLF, blank lines and no final newline', async () => {
    const text = '{"a":1}\r\n\r\n  \n{"b":"ü"}\n{"c":3}';
    const whole = await readChunks([text]);
    expect(whole.map((i) => [i.line, i.offset, i.value])).toEqual([
      [1, 0, { a: 1 }],
      [4, 14, { b: 'ü' }],
      [5, 25, { c: 3 }],
    ]);
    // Every split point, including inside the multi-byte ü, gives the same items.
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const items = [];
      const source = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
      for await (const batch of readNdjson(source, 0)) items.push(...batch);
      expect(items).toEqual(whole);
    }
  });

  it('turns a line JSON.parse refuses into a located error with an excerpt, and goes on', async () => {
    const items = await readChunks(['{"a":1}\n{"broken": \n{"c":3}\n'], 3);
    expect(items[1]).toMatchObject({ line: 2, offset: 11, excerpt: '{"broken": ' });
    expect(items[1].error).toBeTruthy();
    expect(items[2]).toMatchObject({ line: 3, value: { c: 3 } });
  });

  it('yields at most maxBatch lines a batch, every line once, in order', async () => {
    const lines = Array.from({ length: 23 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 3) }));
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.from(text);
    // Chunks of 300 bytes: batches end at maxBatch lines or at a chunk's end, whichever comes first.
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 300) chunks.push(bytes.subarray(at, at + 300));
    const sizes: number[] = [];
    const items = [];
    for await (const batch of readNdjson(Readable.from(chunks), 0, 4)) {
      sizes.push(batch.length);
      items.push(...batch);
    }
    expect(Math.max(...sizes)).toBe(4);
    expect(items.map((item) => item.value)).toEqual(lines.map((line) => JSON.parse(line)));
    expect(items.map((item) => item.line)).toEqual(lines.map((_, i) => i + 1));
    expect(items.map((item) => item.offset)).toEqual(lines.map((_, i) => Buffer.byteLength(lines.slice(0, i).join('\n')) + (i > 0 ? 1 : 0)));
  });
});
