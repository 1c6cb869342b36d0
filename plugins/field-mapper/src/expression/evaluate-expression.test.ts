import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './evaluate-expression.js';
import { parseMappingValue } from './parse-expression.js';

const input = JSON.parse(`{
  "profile": {
    "user_id": "auth0|1",
    "email": "  Jane.Doe@Example.COM ",
    "name": "Jean-Luc Picard de la Barre",
    "given_name": "",
    "nickname": "jl",
    "locale": "pt_BR",
    "phone_number": "+1 (415) 555-0123",
    "logins_count": 12,
    "user_metadata": { "favorite-color": "blue", "plan": { "tier": "gold" }, "__proto__": { "polluted": true } },
    "identities": [{ "connection": "google-oauth2", "user_id": "1083" }]
  }
}`);

function run(value: string | number | boolean | null) {
  let truncations = 0;
  const result = evaluateExpression(parseMappingValue(value), input, { truncated: () => truncations++ });
  return { result, truncations };
}

describe('evaluateExpression', () => {
  it.each([
    // paths
    ['profile.nickname', 'jl'],
    ['profile.user_metadata["favorite-color"]', 'blue'],
    ['profile.user_metadata.plan.tier', 'gold'],
    ['profile.identities[0].user_id', '1083'],
    ['profile.identities[5].user_id', undefined],
    ['profile.missing.deeper', undefined],
    ['profile.nickname.length', undefined], // no properties of strings, only data
    ['profile.constructor', undefined], // own properties only: never Object.prototype.constructor
    ['profile.user_metadata.toString', undefined],
    ['profile.user_metadata["__proto__"].polluted', true], // a JSON key named __proto__ is plain data
    // literals and templates
    ['"GENDER_FEMALE"', 'GENDER_FEMALE'],
    [42, 42],
    [false, false],
    ['{profile.nickname} ({profile.logins_count} logins)', 'jl (12 logins)'],
    ['{profile.given_name}{profile.family_name}', undefined], // every part missing: nothing
    ['"{profile.nickname}-{profile.missing}"', 'jl-'],
    ['"{profile.user_metadata.plan}"', '{"tier":"gold"}'],
    // coalesce: first value that is not missing, null or ""
    ['coalesce(profile.given_name, profile.missing, profile.nickname, "x")', 'jl'],
    ['coalesce(profile.missing, profile.also_missing)', undefined],
    ['coalesce(profile.logins_count, "x")', 12],
    // lower, trim
    ['lower(profile.email)', '  jane.doe@example.com '],
    ['trim(profile.email)', 'Jane.Doe@Example.COM'],
    ['lower(trim(profile.email))', 'jane.doe@example.com'],
    ['lower(profile.missing)', undefined],
    ['trim(profile.logins_count)', '12'],
    // splitName
    ['splitName(profile.name, "first")', 'Jean-Luc'],
    ['splitName(profile.name, "last")', 'Picard de la Barre'],
    ['splitName(profile.nickname, "last")', 'jl'],
    ['splitName(profile.missing, "first")', undefined],
    // language
    ['language(profile.locale)', 'pt-BR'],
    ['language(profile.locale, "base")', 'pt'],
    ['language(profile.name)', undefined],
    // e164
    ['e164(profile.phone_number)', '+14155550123'],
    ['e164(profile.nickname)', undefined],
    // base64, json
    ['base64(profile.nickname)', Buffer.from('jl').toString('base64')],
    ['base64(profile.user_metadata.plan)', Buffer.from('{"tier":"gold"}').toString('base64')],
    ['base64(profile.missing)', undefined],
    ['json(profile.user_metadata.plan)', '{"tier":"gold"}'],
    ['json(profile.nickname)', '"jl"'],
    ['json(profile.missing)', undefined],
    // domain
    ['domain(profile.email)', 'example.com'],
    ['domain(profile.nickname)', undefined],
    ['domain(profile.missing)', undefined],
    // predicates: always true or false; a missing value matches nothing
    ['equals(profile.nickname, "jl")', true],
    ['equals(profile.nickname, "JL")', false],
    ['equals(profile.nickname, "x", "y", "jl")', true],
    ['equals(profile.logins_count, 12)', true],
    ['equals(profile.identities[0].connection, "google-oauth2")', true],
    ['equals(profile.missing, "x")', false],
    ['startsWith(profile.user_id, "auth0|")', true],
    ['endsWith(lower(trim(profile.email)), "@example.com")', true],
    ['endsWith(profile.missing, "")', false],
    ['contains(profile.name, "Luc")', true],
    // In a quoted string a backslash escapes the next character: the regex `\+` is written `\\+`.
    ['matches(profile.phone_number, "^\\\\+1 ")', true],
    ['matches(profile.phone_number, "^[+]1 ")', true],
    ['matches(profile.email, "Example\\\\.COM $")', true],
    ['matches(profile.email, "example\\\\.com $")', false],
    ['matches(profile.email, "example\\\\.com $", "i")', true],
    ['matches(profile.missing, ".*")', false],
    ['exists(profile.nickname)', true],
    ['exists(profile.given_name)', false],
    ['exists(profile.missing)', false],
    ['not(exists(profile.missing))', true],
    ['not(profile.nickname)', true], // only `true` is true: text is not
    ['and(exists(profile.email), equals(profile.locale, "pt_BR"))', true],
    ['and(exists(profile.email), equals(profile.locale, "en"))', false],
    ['or(equals(profile.locale, "en"), contains(profile.email, "Doe"))', true],
    ['or(profile.missing, false)', false],
  ])('%j → %j', (value, expected) => {
    expect(run(value).result).toEqual(expected);
  });

  it('truncate cuts runes and reports each cut', () => {
    expect(run('truncate(profile.name, 8)')).toEqual({ result: 'Jean-Luc', truncations: 1 });
    expect(run('truncate(profile.nickname, 8)')).toEqual({ result: 'jl', truncations: 0 });
    expect(run('truncate(profile.missing, 8)')).toEqual({ result: undefined, truncations: 0 });
  });

  it('truncate counts emoji as one rune each', () => {
    const emoji = { profile: { name: '😀😀😀😀' } };
    const result = evaluateExpression(parseMappingValue('truncate(profile.name, 3)'), emoji, { truncated: () => {} });
    expect(result).toBe('😀😀😀');
  });

  it('never pollutes Object.prototype', () => {
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
