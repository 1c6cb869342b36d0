import { describe, expect, it } from 'vitest';
import { duplicateKeysOf, exactDuplicateKeys, fullyCheckedRecords, SampledDuplicateKeyCheck, sampleEvery } from './duplicate-keys.js';

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

describe('SampledDuplicateKeyCheck', () => {
  const clean = '{"a":1}';
  const doubled = '{"a":1,"a":2}';
  const checkOf = (check: SampledDuplicateKeyCheck, text: string) => check.check(text, JSON.parse(text));

  it('checks every record at first, then one in sampleEvery, and every record again after a hit', () => {
    const check = new SampledDuplicateKeyCheck();
    for (let i = 0; i < fullyCheckedRecords - 1; i++) checkOf(check, clean);
    expect(checkOf(check, doubled)).toEqual(['a']); // the last record checked in full
    // Full checking goes on after a hit: the next records are all checked.
    for (let i = 0; i < 3; i++) expect(checkOf(check, doubled)).toEqual(['a']);

    const sampled = new SampledDuplicateKeyCheck();
    for (let i = 0; i < fullyCheckedRecords; i++) checkOf(sampled, clean);
    const found = Array.from({ length: sampleEvery * 2 }, () => checkOf(sampled, doubled));
    // Record 10,000 is sampled and has duplicates: from there on every record is checked.
    expect(found.every((keys) => keys?.[0] === 'a')).toBe(true);

    const skipping = new SampledDuplicateKeyCheck();
    for (let i = 0; i < fullyCheckedRecords + 1; i++) checkOf(skipping, clean);
    const seen = Array.from({ length: sampleEvery }, () => checkOf(skipping, doubled));
    expect(seen.map((keys) => keys !== undefined)).toEqual(Array.from({ length: sampleEvery }, (_, i) => i === sampleEvery - 1));
  });
});
