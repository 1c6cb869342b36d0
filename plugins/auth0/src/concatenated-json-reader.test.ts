import { describe, expect, it } from 'vitest';
import { looksConcatenated, readConcatenatedJson } from './concatenated-json-reader.js';
import { itemsOf, textInput } from './reader.test-helpers.js';

function read(chunks: (string | Buffer)[], startOffset = 0) {
  return itemsOf(readConcatenatedJson(textInput(chunks, startOffset)));
}

const pretty = [
  { user_id: 'auth0|1', name: 'Zoë {not a brace}', note: 'quote \\" and backslash \\\\', tags: ['a', { deep: [1, 2] }] },
  { user_id: 'auth0|2', bio: 'line\nbreak escaped', nested: { a: { b: {} } } },
  { user_id: 'auth0|3' },
]
  .map((value) => JSON.stringify(value, null, 2))
  .join('\n');

describe('readConcatenatedJson', () => {
  it('reads pretty-printed objects with the line and offset of each first byte', async () => {
    const items = await read([pretty], 3);
    expect(items.map((i) => i.value)).toEqual(pretty.split(/\n(?=\{)/).map((text) => JSON.parse(text)));
    const starts = [...pretty.matchAll(/^\{/gm)].map((m) => m.index!);
    expect(items.map((i) => i.offset)).toEqual(starts.map((at) => Buffer.byteLength(pretty.slice(0, at)) + 3));
    expect(items.map((i) => i.line)).toEqual(starts.map((at) => pretty.slice(0, at).split('\n').length));
  });

  it('gives the same items whatever the chunk borders (inside strings, escapes and multi-byte characters)', async () => {
    const whole = await read([pretty]);
    const bytes = Buffer.from(pretty);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await read([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut ${cut}`).toEqual(whole);
    }
  });

  it('reads several values on one line, compact and CRLF input', async () => {
    const items = await read(['{"a":1}{"a":2} {"a":3}\r\n{\r\n  "a": 4\r\n}\r\n']);
    expect(items.map((i) => [i.line, i.offset, i.value])).toEqual([
      [1, 0, { a: 1 }],
      [1, 7, { a: 2 }],
      [1, 15, { a: 3 }],
      [2, 24, { a: 4 }],
    ]);
  });

  it('reports a malformed object at the line of the fault and goes on', async () => {
    const items = await read(['{\n  "a": 1\n}\n{\n  "b": 1\n  "c": 2\n}\n{\n  "d": 4\n}\n']);
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [1, { a: 1 }],
      [4, expect.stringMatching(/at line 6 column 3/)],
      [8, { d: 4 }],
    ]);
  });

  it('ends an object left open where the next one starts in column 0, and at the end of the input', async () => {
    const items = await read(['{\n  "a": {"x": 1,\n{\n  "b": 2\n}\n{\n  "c": "cut']);
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [1, 'not closed before line 3, where the next object starts'],
      [3, { b: 2 }],
      [6, expect.stringMatching(/not closed at the end of the input|Unterminated string/)],
    ]);
  });

  it('rejects text outside any value a line at a time, and values not UTF-8 with the byte offset', async () => {
    const items = await read([Buffer.concat([Buffer.from('-----BEGIN PGP MESSAGE-----\n{"a":1}\n{"name":"J'), Buffer.from([0xfc]), Buffer.from('rgen"}\n')])]);
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [1, 'not a JSON value'],
      [2, { a: 1 }],
      [3, expect.stringContaining('invalid UTF-8 (byte 0xfc')],
    ]);
    expect(items[0].excerpt).toBe('-----BEGIN PGP MESSAGE-----');
    expect(items[2].byteOffset).toBe(28 + 8 + 10);
  });

  it('keeps a line break inside a string from swallowing the next objects', async () => {
    const items = await read(['{\n  "a": "broken\n  string"\n}\n{\n  "b": 2\n}\n']);
    expect(items.at(-1)).toMatchObject({ line: 5, value: { b: 2 } });
    expect(items[0].error).toBeTruthy();
  });

  it('notes duplicate keys with their path', async () => {
    const items = await read(['{\n  "email": "a@x",\n  "meta": {"plan": 1, "plan": 2},\n  "email": "b@x"\n}\n']);
    expect(items[0].value).toEqual({ email: 'b@x', meta: { plan: 2 } });
    expect(items[0].duplicateKeys).toEqual(['meta.plan', 'email']);
  });
});

describe('looksConcatenated', () => {
  it('tells pretty-printed or run-together values from NDJSON', () => {
    expect(looksConcatenated(Buffer.from(pretty))).toBe(true);
    expect(looksConcatenated(Buffer.from('{"a":1}{"a":2}\n'))).toBe(true);
    expect(looksConcatenated(Buffer.from('{"a":1}\n{"a":2}\n'))).toBe(false);
    expect(looksConcatenated(Buffer.from('\n\n{"a":1}\n{"a":2}\n'))).toBe(false);
    // A malformed first NDJSON line stays NDJSON (each line a record).
    expect(looksConcatenated(Buffer.from('{"a":\n{"a":2}\n'))).toBe(false);
    // A first object longer than the sniffed head: no complete value, so NDJSON.
    expect(looksConcatenated(Buffer.from('{\n  "a": "'))).toBe(false);
  });
});
