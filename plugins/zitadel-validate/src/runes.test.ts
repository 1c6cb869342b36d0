import { describe, expect, it } from 'vitest';
import { countRunes, truncateRunes } from './runes.js';

describe('countRunes', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1], // precomposed U+00E9
    ['e\u0301', 2], // e + combining acute: two runes, one glyph
    ['😀', 1], // one rune, two UTF-16 units
    ['👩‍👩‍👧', 5], // woman ZWJ woman ZWJ girl
    ['山田太郎', 4],
    ['𠜎𠜱', 2], // CJK extension B, astral
    ['\ud800x', 2], // lone high surrogate counts as one rune (U+FFFD in Go)
  ])('%j has %i runes', (text, runes) => {
    expect(countRunes(text)).toBe(runes);
  });
});

describe('truncateRunes', () => {
  it('leaves text within the limit unchanged', () => {
    expect(truncateRunes('山田太郎', 4)).toBe('山田太郎');
  });
  it('cuts by runes, not UTF-16 units', () => {
    const emoji = '😀'.repeat(250);
    const cut = truncateRunes(emoji, 200);
    expect(countRunes(cut)).toBe(200);
    expect(cut.length).toBe(400);
  });
  it('never splits a grapheme cluster', () => {
    // 199 letters then a 5-rune family emoji: keeping part of the emoji would leave half a glyph.
    const cut = truncateRunes('a'.repeat(199) + '👩‍👩‍👧' + 'b', 200);
    expect(cut).toBe('a'.repeat(199));
  });
  it('keeps a combining mark with its letter', () => {
    expect(truncateRunes('abe\u0301', 3)).toBe('ab');
  });
  it('cuts a single over-long cluster by rune', () => {
    expect(countRunes(truncateRunes('a' + '\u0301'.repeat(300), 200))).toBe(200);
  });
});
