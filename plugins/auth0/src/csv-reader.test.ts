import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-reader.js';
import { itemsOf, textInput } from './reader.test-helpers.js';

function read(bytes: Buffer | string, rename = new Map<string, string>()) {
  return itemsOf(readCsv(textInput([bytes], 3), rename));
}

describe('readCsv', () => {
  it('decodes UTF-8 cells and rejects a row that is not UTF-8, with the offset of its first bad byte', async () => {
    const header = '"user_id","name"\n';
    const good = `"'auth0|1","'Zoë 名前"\n`;
    const items = await read(Buffer.concat([Buffer.from(header + good + `"'auth0|2","'J`), Buffer.from([0xfc]), Buffer.from(`rgen"\n"'auth0|3","'Ann"\n`)]));
    expect(items.map((i) => [i.line, i.value ?? i.error])).toEqual([
      [2, { user_id: 'auth0|1', name: 'Zoë 名前' }],
      [3, expect.stringContaining('invalid UTF-8 (byte 0xfc')],
      [4, { user_id: 'auth0|3', name: 'Ann' }],
    ]);
    const rowStart = 3 + Buffer.byteLength(header + good);
    expect(items[1]).toMatchObject({ offset: rowStart, byteOffset: rowStart + 14 });
  });

  it('notes a column named twice on every row; the last one wins', async () => {
    const items = await read('"user_id","email","mail"\n"\'auth0|1","\'a@x","\'b@x"\n', new Map([['mail', 'email']]));
    expect(items).toMatchObject([{ value: { user_id: 'auth0|1', email: 'b@x' }, duplicateKeys: ['email'] }]);
  });

  it('names each kind of malformed row once, without its line (that is in the origin) or a cell value', async () => {
    const header = '"user_id","email"\n';
    const rows = [`"'auth0|1"\n`, `"'auth0|2","'a@x"\n`, `"'auth0|3","'b@x","extra"\n`, `"'auth0|4","'c"@x"\n`, `'auth0|5,c"d@x\n`, `"'auth0|6","'e@x"\n`];
    const items = await read(header + rows.join(''));
    // (csv-parse reads ahead: a refused row may come out after the next good one.)
    expect(items.map((i) => [i.line, i.value ?? i.error]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [2, 'the row does not have as many cells as the header'],
      [3, { user_id: 'auth0|2', email: 'a@x' }],
      [4, 'the row does not have as many cells as the header'],
      [5, 'a quote inside a quoted cell is not doubled ("")'],
      [6, 'a quote inside a cell that is not quoted'],
      [7, { user_id: 'auth0|6', email: 'e@x' }],
    ]);
    const unclosed = await read(`${header}"'auth0|1","'a@x\n`);
    expect(unclosed.map((i) => [i.line, i.error])).toEqual([[2, 'a quoted cell is never closed']]);
  });
});
