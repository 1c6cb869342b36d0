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
});
