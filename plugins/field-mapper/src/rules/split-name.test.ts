import { describe, expect, it } from 'vitest';
import { looksLikeEmail, splitDisplayName } from './split-name.js';

describe('splitDisplayName', () => {
  it.each([
    ['Jean-Luc Picard de la Barre', 'Jean-Luc', 'Picard de la Barre'],
    ['Jane Smith', 'Jane', 'Smith'],
    ['  Jane   Smith  ', 'Jane', 'Smith'],
    ['Madonna', 'Madonna', 'Madonna'],
    ['山田太郎', '山田太郎', '山田太郎'],
    ['José\u00a0María Aznar', 'José', 'María Aznar'], // no-break space separates words too
    ['山田\u3000太郎', '山田', '太郎'], // ideographic space
    ['😀 Smile', '😀', 'Smile'],
  ])('%j → %j / %j', (name, first, last) => {
    expect(splitDisplayName(name)).toEqual({ first, last });
  });

  it('has nothing to split in blank text', () => {
    expect(splitDisplayName('  \t ')).toBeUndefined();
  });
});

describe('looksLikeEmail', () => {
  it.each([
    ['jane@example.com', true],
    [' jane@example.com ', true],
    ['Jane Smith', false],
    ['Jane @ home', false],
    ['jane', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeEmail(text)).toBe(expected);
  });
});
