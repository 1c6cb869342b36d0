import { describe, expect, it } from 'vitest';
import { duplicateKeysOf, exactDuplicateKeys } from './duplicate-keys.js';

function check(text: string): string[] | undefined {
  return duplicateKeysOf(text, JSON.parse(text));
}

describe('duplicateKeysOf', () => {
  it('finds none in an ordinary record', () => {
    expect(check('{"user_id":"auth0|1","identities":[{"provider":"auth0"},{"provider":"github"}],"app_metadata":{"a":{"b":1}}}')).toBeUndefined();
  });

  it('names repeated keys with their path, at any depth and in arrays', () => {
    expect(check('{"email":"a","email":"b"}')).toEqual(['email']);
    expect(check('{"user_metadata":{"plan":"free","plan":"pro"}}')).toEqual(['user_metadata.plan']);
    expect(check('{"identities":[{"provider":"x"},{"provider":"y","provider":"z"}]}')).toEqual(['identities[1].provider']);
    expect(check('{\n  "email" : "a",\n  "email" : "b"\n}')).toEqual(['email']);
  });

  it('compares keys as JSON.parse does (escapes decoded) and is not fooled by `":` inside strings', () => {
    expect(check('{"email":"a","em\\u0061il":"b"}')).toEqual(['email']);
    expect(check('{"note":"he said \\"hi\\": twice","json":"{\\"a\\":1,\\"a\\":2}"}')).toBeUndefined();
    expect(exactDuplicateKeys('{"a\\\\":1,"b":[true,null,-1.5e3,"a\\\\"],"a\\\\":2}')).toEqual(['a\\']);
  });

  it('finds a repeated key however the text is spelled: spaced colons, escapes, odd numbers, a `":` in a value', () => {
    // One key written `"a" :` and one `"a":`: a count of `":` alone would match the parsed keys.
    expect(check('{"a":1,"a" :2}')).toEqual(['a']);
    expect(check('{"n":"\\u00e9","a":1.0,"a":2}')).toEqual(['a']);
    expect(check('{"a":"x\\":","b":1,"b":1e3}')).toEqual(['b']);
    expect(check('{"a":"x\\":","b":1000}')).toBeUndefined();
  });

  it('takes the keys counted while reading as given (concatenated JSON counts the colons outside strings)', () => {
    const text = '{\n  "a": 1,\n  "a": 2\n}';
    expect(duplicateKeysOf(text, JSON.parse(text), 2)).toEqual(['a']);
    expect(duplicateKeysOf(text, JSON.parse(text), 1)).toBeUndefined();
  });
});
