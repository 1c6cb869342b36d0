import { describe, expect, it } from 'vitest';
import { parseMappingValue, pathsOf } from './parse-expression.js';
import { ExpressionError } from './syntax.js';

describe('parseMappingValue', () => {
  it.each([
    ['profile.email', { kind: 'path', segments: ['profile', 'email'], text: 'profile.email' }],
    [
      'profile.user_metadata["favorite-color"]',
      { kind: 'path', segments: ['profile', 'user_metadata', 'favorite-color'], text: 'profile.user_metadata["favorite-color"]' },
    ],
    ['profile.identities[0].user_id', { kind: 'path', segments: ['profile', 'identities', 0, 'user_id'], text: 'profile.identities[0].user_id' }],
    ['"GENDER_FEMALE"', { kind: 'literal', value: 'GENDER_FEMALE' }],
    ["'single'", { kind: 'literal', value: 'single' }],
    ['"say \\"hi\\""', { kind: 'literal', value: 'say "hi"' }],
    ['42', { kind: 'literal', value: 42 }],
    ['true', { kind: 'literal', value: true }],
    ['null', { kind: 'literal', value: null }],
    [true, { kind: 'literal', value: true }],
    [7, { kind: 'literal', value: 7 }],
    [
      'lower(profile.email)',
      { kind: 'call', name: 'lower', args: [{ kind: 'path', segments: ['profile', 'email'], text: 'profile.email' }] },
    ],
    [
      'truncate( trim(profile.name) , 5 )',
      {
        kind: 'call',
        name: 'truncate',
        args: [
          { kind: 'call', name: 'trim', args: [{ kind: 'path', segments: ['profile', 'name'], text: 'profile.name' }] },
          { kind: 'literal', value: 5 },
        ],
      },
    ],
  ])('%j', (value, expected) => {
    expect(parseMappingValue(value)).toEqual(expected);
  });

  it('reads a bare value with braces as a template', () => {
    expect(parseMappingValue('{profile.given_name} {profile.family_name}')).toEqual({
      kind: 'template',
      parts: [
        { kind: 'path', segments: ['profile', 'given_name'], text: 'profile.given_name' },
        ' ',
        { kind: 'path', segments: ['profile', 'family_name'], text: 'profile.family_name' },
      ],
    });
  });

  it('reads a quoted template with function calls and escaped braces', () => {
    expect(parseMappingValue('"{{{lower(profile.nickname)}}}"')).toEqual({
      kind: 'template',
      parts: ['{', { kind: 'call', name: 'lower', args: [{ kind: 'path', segments: ['profile', 'nickname'], text: 'profile.nickname' }] }, '}'],
    });
  });

  it.each([
    ['lower(profile.email', 'expected ")" but found the end at column 20'],
    ['lowr(profile.email)', 'unknown function "lowr" (known: coalesce, lower, trim, truncate, splitName, language, e164, base64, json, domain, equals, startsWith, endsWith, contains, matches, exists, not, and, or) at column 1'],
    ['lower()', 'lower takes 1 argument(s): lower(text) at column 1'],
    ['lower(a, b)', 'lower takes 1 argument(s): lower(text) at column 1'],
    ['truncate(profile.name)', 'truncate takes 2 argument(s): truncate(text, maxRunes) at column 1'],
    ['truncate(profile.name, 0)', 'truncate: maxRunes must be a positive whole number: truncate(text, maxRunes) at column 1'],
    ['truncate(profile.name, profile.n)', 'truncate: maxRunes must be a positive whole number: truncate(text, maxRunes) at column 1'],
    ['splitName(profile.name, "middle")', 'splitName: the part must be one of "first", "last": splitName(name, "first" | "last") at column 1'],
    ['language(profile.locale, "short")', 'language: the form must be one of "tag", "base": language(locale, "tag" | "base") at column 1'],
    ['profile.email extra', 'unexpected "e" at column 15'],
    ['profile.', 'expected a name but found the end at column 9'],
    ['profile[x]', 'expected an index or a quoted key but found "x" at column 9'],
    ['"unterminated', 'unterminated string at column 1'],
    ['{profile.email', 'unclosed "{" in template at column 1'],
    ['a } b {c}', 'unmatched "}" in template (write "}}" for a literal brace) at column 3'],
    ['{lowr(x)}', 'unknown function "lowr" (known: coalesce, lower, trim, truncate, splitName, language, e164, base64, json, domain, equals, startsWith, endsWith, contains, matches, exists, not, and, or) at column 2'],
    ['1.2.3', 'invalid number at column 1'],
    ['constructor(profile.email)', 'unknown function "constructor" (known: coalesce, lower, trim, truncate, splitName, language, e164, base64, json, domain, equals, startsWith, endsWith, contains, matches, exists, not, and, or) at column 1'],
  ])('refuses %j: %s', (value, message) => {
    expect(() => parseMappingValue(value)).toThrow(new ExpressionError(message.replace(/ at column \d+$/, ''), Number(/column (\d+)$/.exec(message)?.[1])));
    expect(() => parseMappingValue(value)).toThrow(message);
  });
});

describe('pathsOf', () => {
  it('lists every path read, in calls and templates', () => {
    const paths = pathsOf(parseMappingValue('coalesce(profile.a, "{profile.b}", lower(password.hash))'));
    expect(paths.map((p) => p.text)).toEqual(['profile.a', 'profile.b', 'password.hash']);
  });
});
