import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, isUtf8 } from './utf8-check.js';

describe('firstInvalidUtf8', () => {
  it('finds the first byte of the first invalid sequence', () => {
    const cases: [number[], number][] = [
      [[0x41, 0x42], -1],
      [[...Buffer.from('Zoë 名前 😀')], -1],
      [[0x41, 0xe9, 0x42], 1], // Latin-1 é
      [[0xc0, 0x80], 0], // overlong NUL
      [[0xe0, 0x80, 0x80], 0], // overlong 3-byte
      [[0xed, 0xa0, 0x80], 0], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x41, 0xe2, 0x82], 1], // cut at the end
      [[0x80], 0], // a lone continuation byte
      [[0xef, 0xbf, 0xbd], -1], // U+FFFD itself is valid text
    ];
    for (const [bytes, expected] of cases) expect(firstInvalidUtf8(Buffer.from(bytes)), bytes.join(' ')).toBe(expected);
  });

  it('agrees with the native isUtf8 on random bytes and on a window of them', () => {
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let round = 0; round < 2000; round++) {
      // Mostly text, some high bytes: both valid and invalid sequences occur.
      const bytes = Buffer.from(Array.from({ length: 1 + (round % 17) }, () => (next() < 200 ? 0x61 : next())));
      expect(firstInvalidUtf8(bytes) === -1, bytes.toString('hex')).toBe(isUtf8(bytes));
      expect(firstInvalidUtf8(bytes, 1, bytes.length) === -1).toBe(isUtf8(bytes.subarray(1)));
    }
  });
});
