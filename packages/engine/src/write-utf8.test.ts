import { describe, expect, it } from 'vitest';
import { writeUtf8 } from './write-utf8.js';

describe('writeUtf8', () => {
  it('writes the same bytes as Buffer#write at the offset and answers their count', () => {
    for (const text of ['plain ascii', 'Zoë "Q" Ünïcødé \u2028 名前 😀', '']) {
      const buffer = Buffer.alloc(64, 0x2e);
      const written = writeUtf8(buffer, text, 3);
      expect(written).toBe(Buffer.byteLength(text));
      expect(buffer.subarray(3, 3 + written).toString('utf8')).toBe(text);
      expect(buffer.subarray(0, 3).toString()).toBe('...');
    }
  });
});
