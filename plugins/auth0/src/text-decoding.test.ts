import { describe, expect, it } from 'vitest';
import { detectEncoding, toUtf8 } from './text-decoding.js';

async function decode(chunks: Buffer[], encoding: Parameters<typeof toUtf8>[1]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of toUtf8((async function* () { yield* chunks; })(), encoding)) out.push(chunk);
  return Buffer.concat(out);
}

function utf16(text: string, bigEndian: boolean): Buffer {
  const units = Buffer.from(text, 'utf16le');
  return bigEndian ? units.swap16() : units;
}

describe('detectEncoding', () => {
  it('takes the BOM, then UTF-16 recognised by its zero bytes, else UTF-8', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x7b]))).toEqual({ encoding: 'utf-8', bomBytes: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x7b, 0x00]))).toEqual({ encoding: 'utf-16le', bomBytes: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x7b]))).toEqual({ encoding: 'utf-16be', bomBytes: 2 });
    expect(detectEncoding(utf16('{"a', false))).toEqual({ encoding: 'utf-16le', bomBytes: 0 });
    expect(detectEncoding(utf16('{"a', true))).toEqual({ encoding: 'utf-16be', bomBytes: 0 });
    expect(detectEncoding(Buffer.from('{"a":1}'))).toEqual({ encoding: 'utf-8', bomBytes: 0 });
    expect(detectEncoding(Buffer.from([0x85, 0x02, 0x0c, 0x03]))).toEqual({ encoding: 'utf-8', bomBytes: 0 });
  });

  it('uses a named encoding as given, dropping only its own BOM', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x7b]), 'latin1')).toEqual({ encoding: 'latin1', bomBytes: 0 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'utf-16le')).toEqual({ encoding: 'utf-16le', bomBytes: 2 });
    expect(detectEncoding(Buffer.from('{"a":1}'), 'windows-1252')).toEqual({ encoding: 'windows-1252', bomBytes: 0 });
  });
});

describe('toUtf8', () => {
  const text = '{"name":"Zoë 名前 😀"}\r\n{"b":2}';

  it('decodes UTF-16 LE and BE at every split point, surrogate pairs and odd bytes included', async () => {
    for (const bigEndian of [false, true]) {
      const bytes = utf16(text, bigEndian);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const out = await decode([bytes.subarray(0, cut), bytes.subarray(cut)], bigEndian ? 'utf-16be' : 'utf-16le');
        expect(out.toString('utf8'), `cut ${cut}`).toBe(text);
      }
    }
  });

  it('turns an unpaired surrogate or a cut last character into a byte that is not UTF-8, never U+FFFD', async () => {
    const lone = Buffer.concat([utf16('{"a":"x', false), Buffer.from([0x00, 0xd8]), utf16('y"}', false)]);
    const out = await decode([lone], 'utf-16le');
    expect([...out]).toContain(0xff);
    expect(out.toString('utf8')).not.toContain('\ufffd\ufffd');
    const cut = await decode([Buffer.concat([utf16('{}', false), Buffer.from([0x41])])], 'utf-16le');
    expect(cut.at(-1)).toBe(0xff);
  });

  it('decodes Latin-1 and Windows-1252 bytes', async () => {
    const bytes = Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e, 0x20, 0x80, 0x93, 0x9f, 0x81]);
    expect((await decode([bytes], 'latin1')).toString('utf8')).toBe('Jürgen \u0080\u0093\u009f\u0081');
    expect((await decode([bytes], 'windows-1252')).toString('utf8')).toBe('Jürgen €“Ÿ\u0081');
  });
});
