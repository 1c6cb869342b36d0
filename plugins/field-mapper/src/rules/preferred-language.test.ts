import { describe, expect, it } from 'vitest';
import { toPreferredLanguage } from './preferred-language.js';

describe('toPreferredLanguage', () => {
  it.each([
    ['en', 'tag', { tag: 'en', shortened: false }],
    ['en-US', 'tag', { tag: 'en-US', shortened: false }],
    ['en-US', 'base', { tag: 'en', shortened: true }],
    ['pt_BR', 'tag', { tag: 'pt-BR', shortened: false }],
    ['pt_BR', 'base', { tag: 'pt', shortened: true }],
    ['EN-us', 'tag', { tag: 'en-US', shortened: false }],
    ['de_DE.UTF-8', 'tag', { tag: 'de-DE', shortened: false }],
    ['sr_RS@latin', 'tag', { tag: 'sr-RS', shortened: false }],
    ['zh-Hant-TW', 'tag', { tag: 'zh-Hant-TW', shortened: false }], // exactly 10
    ['en-US-x-twain', 'tag', { tag: 'en-US', shortened: true }], // 13 → language-region
    ['de-DE-1996', 'tag', { tag: 'de-DE-1996', shortened: false }],
    ['sl-Latn-IT-rozaj', 'tag', { tag: 'sl-Latn-IT', shortened: true }],
  ] as const)('%j (%s) → %j', (locale, form, expected) => {
    const result = toPreferredLanguage(locale, form);
    expect(result).toEqual(expected);
    expect(result!.tag.length).toBeLessThanOrEqual(10);
  });

  it.each([[''], ['   '], ['english!'], ['en_'], ['und'], ['und-US'], ['C'], ['x-klingon'], [42], [null], [undefined], ['en-US,en;q=0.9']])(
    'omits %j',
    (locale) => {
      expect(toPreferredLanguage(locale)).toBeUndefined();
    },
  );
});
