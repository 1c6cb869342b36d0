import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonArray } from './json-array-reader.js';

async function readAllItems(text: string) {
  const items = [];
  for await (const batch of readJsonArray(Readable.from([Buffer.from(text)]), 0)) items.push(...batch);
  return items;
}

describe('readJsonArray', () => {
  it('locates elements of a minified array on one line with distinct, rising offsets', async () => {
    const items = await readAllItems('[{"a":1},{"a":2},\n{"a":3}]');
    expect(items.map((i) => [i.line, i.offset, i.value])).toEqual([
      [1, 0, { a: 1 }],
      [1, 1, { a: 2 }],
      [2, 18, { a: 3 }],
    ]);
  });

  it('reports a malformed element with its line and resumes at the next object', async () => {
    const items = await readAllItems('[\n{"a":1},\n{"a": },\n{"a":3}\n]\n');
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [2, { a: 1 }],
      [3, expect.stringContaining('(at line 3)')],
      [4, { a: 3 }],
    ]);
  });

  it('reports an array that never ends', async () => {
    const items = await readAllItems('[\n{"a":1},\n{"a":2}');
    expect(items.at(-1)?.error).toMatch(/end of input/);
    expect(items.filter((i) => i.value)).toHaveLength(2);
  });
});
