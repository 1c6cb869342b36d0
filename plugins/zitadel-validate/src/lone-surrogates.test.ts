import { describe, expect, it } from 'vitest';
import { describeLoneSurrogate, findLoneSurrogates, loneSurrogateIndex } from './lone-surrogates.js';

describe('lone UTF-16 surrogates', () => {
  it.each([
    ['plain text', 'Jane', -1],
    ['a whole emoji (a surrogate pair)', 'Jane 😀', -1],
    ['a high surrogate at the end (an emoji cut in two)', 'Jane \ud83d', 5],
    ['a low surrogate alone', '\ude00Jane', 0],
    ['two high surrogates', '\ud83d\ud83d\ude00', 0],
  ])('%s', (_case, text, index) => {
    expect(loneSurrogateIndex(text)).toBe(index);
  });

  it('finds every one in a record, keys included, with its path', () => {
    const record = { userId: 'a', user: { profile: { displayName: 'Jo \ud83d' } }, metadata: [{ key: 'k\udc00', value: 'eA==' }], ['x\ud800']: 1 };
    expect(findLoneSurrogates(record, '')).toEqual([
      { path: 'user.profile.displayName', index: 3, unit: 0xd83d },
      { path: 'metadata[0].key', index: 1, unit: 0xdc00 },
      { path: 'x\ud800', index: 1, unit: 0xd800 },
    ]);
    expect(describeLoneSurrogate({ path: 'p', index: 3, unit: 0xd83d })).toMatch(/^contains a lone UTF-16 surrogate \\uD83D at index 3/);
  });
});
