import { describe, expect, it } from 'vitest';
import { decodedBase64Length } from './base64-value.js';

describe('decodedBase64Length', () => {
  it.each([
    ['', 0],
    [Buffer.from('a').toString('base64'), 1],
    [Buffer.from('ab').toString('base64'), 2],
    [Buffer.from('abc').toString('base64'), 3],
    [Buffer.from('"gold"').toString('base64'), 6],
    ['YQ', 1], // unpadded
    [Buffer.from([0xfb, 0xff]).toString('base64url'), 2], // URL-safe alphabet
  ])('%j decodes to %i bytes', (value, bytes) => {
    expect(decodedBase64Length(value)).toBe(bytes);
  });

  it('agrees with Buffer for a large value', () => {
    const value = Buffer.alloc(500_001, 7).toString('base64');
    expect(decodedBase64Length(value)).toBe(500_001);
  });

  it.each(['not base64!', 'YQ=', 'Y', 'YQ==YQ==', 'a+b_'])('refuses %j', (value) => {
    expect(decodedBase64Length(value)).toBeUndefined();
  });
});
