import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, encodeCrypt64 } from './encoding.js';

describe('base64 dialects', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);

  it('writes adapted base64 with "." for "+" and no padding', () => {
    expect(encodeBase64(bytes, 'standard-padded')).toBe('+/+/AQ==');
    expect(encodeBase64(bytes, 'adapted')).toBe('././AQ');
    expect(encodeBase64(bytes, 'adapted')).not.toContain('=');
  });

  it('reads each dialect back', () => {
    expect(decodeBase64('+/+/AQ==', 'standard-padded')).toEqual(bytes);
    expect(decodeBase64('+/+/AQ', 'standard-raw-strict')).toEqual(bytes);
    expect(decodeBase64(encodeBase64(bytes, 'adapted'), 'adapted')).toEqual(bytes);
    expect(decodeBase64('+/+/AQ=', 'standard-lenient')).toEqual(bytes);
  });

  it.each([
    ['+/+/AQ', 'standard-padded', 'is not padded base64 (length 6 is not a multiple of 4)'],
    ['+/+/AR', 'standard-raw-strict', 'is not canonical base64 (non-zero trailing bits)'],
    ['+/+/AQ==', 'standard-raw-strict', 'is not base64 (A-Za-z0-9+/)'],
    ['+/+/AQ', 'adapted', 'is not adapted base64 (A-Za-z0-9./)'],
    ['-_-_AQ', 'standard-lenient', 'is not base64 (A-Za-z0-9+/)'],
    ['abcde', 'standard-lenient', 'has an impossible base64 length 5'],
    ['', 'adapted', 'is empty'],
  ] as const)('%s as %s: %s', (text, dialect, problem) => {
    expect(decodeBase64(text, dialect)).toBe(problem);
  });
});

describe('encodeCrypt64', () => {
  it('packs bytes little-endian, 6 bits per character, as phpass encode64 does', () => {
    expect(encodeCrypt64(Uint8Array.from([0, 0, 0]))).toBe('....');
    expect(encodeCrypt64(Uint8Array.from([1]))).toBe('/.');
    expect(encodeCrypt64(Uint8Array.from([0x3f, 0, 0]))).toBe('z...');
    expect(encodeCrypt64(new Uint8Array(16))).toHaveLength(22);
  });
});
