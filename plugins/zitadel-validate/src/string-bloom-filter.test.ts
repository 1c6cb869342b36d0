import { describe, expect, it } from 'vitest';
import { StringBloomFilter } from './string-bloom-filter.js';

const email = (i: number) => `user.${i}@example.com`;

describe('StringBloomFilter', () => {
  it('never forgets a string it was given, ASCII or not', () => {
    const filter = new StringBloomFilter(16);
    const added = [...Array.from({ length: 5000 }, (_, i) => email(i)), 'élodie@exemple.fr', '山田@example.jp', '😀'];
    for (const value of added) filter.add(value);
    for (const value of added) expect(filter.mightContain(value), value).toBe(true);
  });

  it('answers "never added" for almost every other string', () => {
    // 2^16 bits, 5,000 strings, 7 probes: about 0.2% false positives in theory.
    const filter = new StringBloomFilter(16);
    for (let i = 0; i < 5000; i++) filter.add(email(i));
    let falsePositives = 0;
    for (let i = 5000; i < 25000; i++) if (filter.mightContain(email(i))) falsePositives++;
    expect(falsePositives / 20000).toBeLessThan(0.01);
    expect(filter.mightContain('USER.1@EXAMPLE.COM')).toBe(false); // case matters: the caller lowercases
  });

  it('holds a fixed number of bytes whatever it is given', () => {
    const filter = new StringBloomFilter(20);
    expect(filter.byteLength).toBe(2 ** 20 / 8);
    for (let i = 0; i < 10000; i++) filter.add(email(i));
    expect(filter.byteLength).toBe(2 ** 20 / 8);
    expect(() => new StringBloomFilter(40)).toThrow(RangeError);
  });
});
