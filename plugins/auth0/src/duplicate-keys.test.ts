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
});
