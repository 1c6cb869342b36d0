import { describe, expect, it } from 'vitest';
import { readNdjson } from './ndjson-reader.js';
import { itemsOf, textInput } from './reader.test-helpers.js';

function readChunks(chunks: (string | Buffer)[], startOffset = 0) {
  return itemsOf(readNdjson(textInput(chunks, startOffset)));
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
      expect(await readChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
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
    for await (const batch of readNdjson(textInput(chunks), 4)) {
      sizes.push(batch.length);
      items.push(...batch);
    }
    expect(Math.max(...sizes)).toBe(4);
    expect(items.map((item) => item.value)).toEqual(lines.map((line) => JSON.parse(line)));
    expect(items.map((item) => item.line)).toEqual(lines.map((_, i) => i + 1));
    expect(items.map((item) => item.offset)).toEqual(lines.map((_, i) => Buffer.byteLength(lines.slice(0, i).join('\n')) + (i > 0 ? 1 : 0)));
  });

  it('rejects a line that is not UTF-8 with the offset of its first bad byte, at any chunk border, and keeps U+FFFD that is really there', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"\ufffd"}\n{"name":"J'), Buffer.from([0xfc]), Buffer.from('rgen"}\n{"b":"é"}\n')]);
    const whole = await readChunks([bytes], 3);
    expect(whole.map((i) => [i.line, i.value ?? i.error, i.byteOffset])).toEqual([
      [1, { a: '\ufffd' }, undefined],
      [2, 'invalid UTF-8 (byte 0xfc; a Latin-1 or Windows-1252 file needs its encoding set)', 3 + 12 + 10],
      [3, { b: 'é' }, undefined],
    ]);
    for (let cut = 1; cut < bytes.length; cut++) expect(await readChunks([bytes.subarray(0, cut), bytes.subarray(cut)], 3), `cut ${cut}`).toEqual(whole);
  });

  it('notes duplicate keys of a line; JSON.parse keeps the last value', async () => {
    const [item] = await readChunks(['{"email":"a@x","email":"b@x"}\n']);
    expect(item).toMatchObject({ value: { email: 'b@x' }, duplicateKeys: ['email'] });
  });

  it('checks every line for duplicate keys, however deep in the file', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"user_id":"auth0|${i}","email":"u${i}@x","logins_count":${i},"identities":[{"provider":"auth0"}]}`);
    lines[20_001] = '{"user_id":"auth0|20001","email":"a@x","email":"b@x"}';
    lines[33_334] = '{"user_id":"auth0|33334","app_metadata":{"tier":1,"tier":2}}';
    const items = await readChunks([`${lines.join('\n')}\n`]);
    expect(items).toHaveLength(40_000);
    expect(items.filter((item) => item.duplicateKeys).map((item) => [item.line, item.duplicateKeys])).toEqual([
      [20_002, ['email']],
      [33_335, ['app_metadata.tier']],
    ]);
  });
});
