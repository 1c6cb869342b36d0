import { describe, expect, it } from 'vitest';
import { minimalJsonLength, minimalNumberLength } from './minimal-json-length.js';

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const plainCharacters = ['a', 'b', 'é', 'Ö', '|', '$', ' ', '😀', '-', '.', '@', ':', '{'];

/**
 * A JSON value as Auth0 profiles hold them: nested objects and arrays, plain strings, integers,
 * booleans, null; `round`: also integers with three or more trailing zeros (`1e3` is shorter than `1000`).
 */
function randomValue(next: () => number, depth = 0, round = true): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 5 : 7));
  if (pick === 0) return Array.from({ length: Math.floor(next() * 12) }, () => plainCharacters[Math.floor(next() * plainCharacters.length)]).join('');
  if (pick === 1) return round ? Math.floor((next() - 0.3) * 10 ** Math.floor(next() * 16)) : Math.floor((next() - 0.3) * 1000);
  if (pick === 2) return next() < 0.5;
  if (pick === 3) return null;
  if (pick === 4) return round ? Math.floor(next() * 1000) * 10 ** Math.floor(next() * 6) : Math.floor(next() * 100) * 100 + 1;
  if (pick === 5) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1, round));
  const object: { [key: string]: unknown } = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) object[String(randomValue(next, 3, round))] = randomValue(next, depth + 1, round);
  return object;
}

/** The text of `value` with one member of some object written twice: first with `earlier`, then its own value. */
function withRepeatedKey(value: unknown, earlier: string, next: () => number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => JSON.stringify(item));
    const at = Math.floor(next() * (value.length + 1));
    const inner = value.length > 0 ? withRepeatedKey(value[at % value.length], earlier, next) : undefined;
    if (inner === undefined) return undefined;
    items[at % value.length] = inner;
    return `[${items.join(',')}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return undefined;
  const members = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify((value as { [key: string]: unknown })[key])}`);
  const at = Math.floor(next() * keys.length);
  const nested = withRepeatedKey((value as { [key: string]: unknown })[keys[at]], earlier, next);
  if (nested !== undefined && next() < 0.5) members[at] = `${JSON.stringify(keys[at])}:${nested}`;
  else members.splice(Math.floor(next() * (at + 1)), 0, `${JSON.stringify(keys[at])}:${earlier}`);
  return `{${members.join(',')}}`;
}

describe('minimalJsonLength', () => {
  it('is the length of the compact text of values without escapes (what Auth0 writes)', () => {
    const next = random(7);
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(next, 0, false);
      expect(minimalJsonLength(value), JSON.stringify(value)).toBe(JSON.stringify(value).length);
    }
    const profile = {
      user_id: 'auth0|5f00',
      name: 'Ömer O’Brien 😀',
      identities: [{ provider: 'auth0', isSocial: false }],
      logins_count: 171,
      app_metadata: {},
      tags: [],
      phone: null,
    };
    expect(minimalJsonLength(profile)).toBe(JSON.stringify(profile).length);
  });

  it('is shorter than any text that repeats a key, at any depth, whatever the earlier value', () => {
    const next = random(11);
    let checked = 0;
    while (checked < 3000) {
      const value = randomValue(next);
      const earlier = JSON.stringify(randomValue(next, 2));
      const text = withRepeatedKey(value, earlier, next);
      if (text === undefined) continue;
      checked++;
      // The text parses back to the same value (the last one wins), yet is longer than its minimum.
      expect(JSON.parse(text)).toEqual(value);
      expect(minimalJsonLength(JSON.parse(text)), text).toBeLessThan(text.length);
    }
    const smallest = '{"":0,"":1}';
    expect(minimalJsonLength(JSON.parse(smallest))).toBe(smallest.length - 5);
  });

  it('never exceeds the length of another spelling of the same value: whitespace, escapes, number forms', () => {
    for (const text of [
      '{ "a": 1 }',
      '{"a":"\\u00e9\\/\\"\\n"}',
      '{"n":1e3}',
      '{"n":1E3}',
      '{"n":15e2}',
      '{"n":1.0}',
      '{"n":-0}',
      '{"n":1e21}',
      '{"n":0.5}',
      '{"n":1e-7}',
      '{"n":90071992547409910}',
      '[1000000000000000]',
      '[1e15]',
    ]) {
      const length = minimalJsonLength(JSON.parse(text));
      expect(length, text).toBeLessThanOrEqual(text.length);
    }
    // Exactly the short spellings, so such numbers written that way still take the short way.
    expect(minimalJsonLength(JSON.parse('[1e15]'))).toBe(6);
    expect(minimalJsonLength(JSON.parse('{"n":15e2}'))).toBe(10);
  });
});

describe('minimalNumberLength', () => {
  it('is the shortest JSON spelling of an integer: digits, or significant digits and an exponent', () => {
    const spellings = (n: number): string[] => {
      const digits = String(Math.abs(n));
      const sign = n < 0 ? '-' : '';
      const forms = [sign + digits];
      for (let zeros = 1; zeros < digits.length && digits.endsWith('0'.repeat(zeros)); zeros++) forms.push(`${sign}${digits.slice(0, -zeros)}e${zeros}`);
      return forms;
    };
    for (const n of [0, 7, 10, 99, 100, 999, 1000, 1500, 15000, 120000, 10 ** 10, 10 ** 15, -1000, -5, 2 ** 53 - 1, 171]) {
      const shortest = Math.min(...spellings(n).map((form) => form.length));
      expect(minimalNumberLength(n), String(n)).toBe(shortest);
      for (const form of spellings(n)) expect(JSON.parse(form)).toBe(n);
    }
  });

  it('counts any other number as one character (its record takes the slower check)', () => {
    expect(minimalNumberLength(0.5)).toBe(1);
    expect(minimalNumberLength(2 ** 53)).toBe(1);
    expect(minimalNumberLength(1e21)).toBe(1);
  });
});
