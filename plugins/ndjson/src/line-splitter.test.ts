import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

type Seen = { text: string; line: number; offset: number } | { tooLong: number; offset: number };

function split(input: string, chunkSizes: number[], maxLineBytes = 1000): Seen[] {
  const seen: Seen[] = [];
  const splitter = new LineSplitter(
    0,
    0,
    maxLineBytes,
    (buf, start, end, line, offset) => seen.push({ text: buf.toString('utf8', start, end), line, offset }),
    (line, offset) => seen.push({ tooLong: line, offset }),
  );
  const bytes = Buffer.from(input, 'utf8');
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const size = chunkSizes[i % chunkSizes.length];
    splitter.feed(bytes.subarray(pos, pos + size));
    pos += size;
  }
  splitter.end();
  return seen;
}

describe('LineSplitter', () => {
  const input = 'a\r\n{"é":1}\n\nlast';
  const expected = [
    { text: 'a', line: 1, offset: 0 },
    { text: '{"é":1}', line: 2, offset: 3 },
    { text: '', line: 3, offset: 12 },
    { text: 'last', line: 4, offset: 13 },
  ];

  it('gives each line its number and byte offset, however the input is chunked', () => {
    for (const chunks of [[1000], [1], [2, 3], [5, 1, 7]]) expect(split(input, chunks)).toEqual(expected);
  });

  it('skips an over-long line without buffering it, and goes on counting', () => {
    const long = 'x'.repeat(50);
    expect(split(`ok\n${long}\nnext\n`, [7], 20)).toEqual([
      { text: 'ok', line: 1, offset: 0 },
      { tooLong: 2, offset: 3 },
      { text: 'next', line: 3, offset: 54 },
    ]);
  });
});
