import { describe, expect, it } from 'vitest';
import { ValueSplitter } from './value-splitter.js';

describe('ValueSplitter', () => {
  it('reports a value over the bound once, keeps none of its bytes, and reads on', () => {
    const splitter = new ValueSplitter(0, 64);
    const big = `{\n  "a": "${'x'.repeat(100)}",\n  "b": "${'y'.repeat(100)}"\n}\n`;
    const out = [];
    for (let at = 0; at < big.length; at += 30) out.push(...splitter.feed(Buffer.from(big.slice(at, at + 30))));
    out.push(...splitter.feed(Buffer.from('{"c":1}\n')), ...splitter.end());
    // In one chunk, the same value is refused the same way.
    expect(new ValueSplitter(0, 64).feed(Buffer.from(big))[0].error).toBe('value larger than 64 bytes (not closed?); skipped');
    expect(out.map((v) => [v.line, v.error ?? v.bytes.toString()])).toEqual([
      [1, 'value larger than 64 bytes (not closed?); skipped'],
      [5, '{"c":1}'],
    ]);
    expect(out[0].bytes.length).toBeLessThanOrEqual(256);
  });

  it('does not take a nested object in column 0 after a key for the next value', () => {
    const out = new ValueSplitter().feed(Buffer.from('{"a":\n{"b": 1}}\n{"c": 2}\n'));
    expect(out.map((v) => [v.line, v.error ?? v.bytes.toString()])).toEqual([
      [1, '{"a":\n{"b": 1}}'],
      [3, '{"c": 2}'],
    ]);
  });
});
