import { describe, expect, it } from 'vitest';
import { readJsonArray } from './json-array-reader.js';
import { itemsOf, textInput } from './reader.test-helpers.js';

function readAllItems(text: string | Buffer) {
  return itemsOf(readJsonArray(textInput([text])));
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

  it('rejects the element holding bytes that are not UTF-8, with their offset, and reads the others', async () => {
    const items = await readAllItems(Buffer.concat([Buffer.from('[\n{"a":1},\n{"name":"J'), Buffer.from([0xfc]), Buffer.from('rgen"},\n{"a":3}\n]\n')]));
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [2, { a: 1 }],
      [3, expect.stringContaining('invalid UTF-8 (byte 0xfc')],
      [4, { a: 3 }],
    ]);
    expect(items[1].byteOffset).toBe(2 + 9 + 10);
  });

  it('notes duplicate keys of an element with their path', async () => {
    const items = await readAllItems('[{"a":1,"b":{"c":1,"c":2}},\n{"a":1,"a":2}]');
    expect(items.map((i) => i.duplicateKeys)).toEqual([['b.c'], ['a']]);
    expect(items[1].value).toEqual({ a: 2 });
  });
});
