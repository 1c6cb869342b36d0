import { describe, expect, it } from 'vitest';
import { encodeMetadataValue } from './metadata-value.js';

const decode = (base64: string) => JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

describe('encodeMetadataValue', () => {
  it.each([['gold'], [42], [true], [null], [{ plan: 'gold', seats: [1, 2] }], ['Zoë 😀']])('round-trips %j through JSON and base64', (value) => {
    const encoded = encodeMetadataValue(value);
    expect(encoded.ok).toBe(true);
    if (encoded.ok) expect(decode(encoded.base64)).toEqual(value);
  });

  it('counts UTF-8 bytes of the JSON, not characters', () => {
    // 166,666 × "€" (3 bytes each) + 2 quotes = 499,998 + 2 = 500,000 bytes: the limit exactly.
    expect(encodeMetadataValue('€'.repeat(166_666))).toMatchObject({ ok: true, bytes: 500_000 });
    expect(encodeMetadataValue('€'.repeat(166_667))).toEqual({
      ok: false,
      bytes: 500_003,
      reason: "is 500003 bytes as JSON, over ZITADEL's 500000",
    });
  });
});
