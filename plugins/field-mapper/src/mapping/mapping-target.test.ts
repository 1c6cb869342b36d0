import { describe, expect, it } from 'vitest';
import { parseMappingTarget, writeField, writeMetadataEntry } from './mapping-target.js';

describe('parseMappingTarget', () => {
  it.each([
    ['user.profile.nickName', { kind: 'field', segments: ['user', 'profile', 'nickName'] }],
    ['state', { kind: 'field', segments: ['state'] }],
    ['metadata.plan', { kind: 'metadata', key: 'plan' }],
    ['metadata.auth0.app.roles', { kind: 'metadata', key: 'auth0.app.roles' }],
    ['metadata.__proto__', { kind: 'metadata', key: '__proto__' }], // a metadata key is data, not a property
  ])('%j', (key, expected) => {
    expect(parseMappingTarget(key)).toEqual(expected);
  });

  it.each([
    ['__proto__.polluted', '"__proto__" cannot be written: it names an object prototype'],
    ['user.constructor.prototype', '"constructor" cannot be written: it names an object prototype'],
    ['user.prototype', '"prototype" cannot be written: it names an object prototype'],
    ['user..profile', '"user..profile" is not a target path (dotted names such as user.profile.nickName, or metadata.<key>)'],
    ['user.idps[0].configId', '"user.idps[0].configId" is not a target path (dotted names such as user.profile.nickName, or metadata.<key>)'],
    ['metadata', 'write metadata entries as metadata.<key>'],
    ['metadata.', 'a metadata key must be 1–200 runes (got 0)'],
    [`metadata.${'k'.repeat(201)}`, 'a metadata key must be 1–200 runes (got 201)'],
  ])('refuses %j', (key, problem) => {
    expect(parseMappingTarget(key)).toBe(problem);
  });
});

describe('writeField', () => {
  it('creates intermediate objects and sets the value', () => {
    const output = {};
    writeField(output, ['user', 'profile', 'gender'], 'GENDER_FEMALE');
    expect(output).toEqual({ user: { profile: { gender: 'GENDER_FEMALE' } } });
  });

  it('removes the field when the value is missing, and creates nothing for it', () => {
    const output = { user: { profile: { nickName: 'jd', firstName: 'Jane' } } };
    writeField(output, ['user', 'profile', 'nickName'], undefined);
    writeField(output, ['user', 'phone', 'phone'], null);
    expect(output).toEqual({ user: { profile: { firstName: 'Jane' } } });
  });

  it('replaces a non-object on the way', () => {
    const output: { [k: string]: unknown } = { user: 'text' };
    writeField(output, ['user', 'userName'], 'jane');
    expect(output).toEqual({ user: { userName: 'jane' } });
  });
});

describe('writeMetadataEntry', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  it('adds, replaces and removes entries by key', () => {
    const output: { [k: string]: unknown } = { metadata: [{ key: 'plan', value: b64('silver') }] };
    expect(writeMetadataEntry(output, 'plan', 'gold')).toBeUndefined();
    expect(writeMetadataEntry(output, '__proto__', { a: 1 })).toBeUndefined();
    expect(output.metadata).toEqual([
      { key: 'plan', value: b64('gold') },
      { key: '__proto__', value: b64({ a: 1 }) },
    ]);
    writeMetadataEntry(output, 'plan', undefined);
    expect(output.metadata).toEqual([{ key: '__proto__', value: b64({ a: 1 }) }]);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
  });

  it('refuses a value over 500,000 bytes as JSON', () => {
    const output = {};
    expect(writeMetadataEntry(output, 'blob', 'x'.repeat(500_000))).toBe("metadata.blob: value is 500002 bytes as JSON, over ZITADEL's 500000");
    expect(output).toEqual({ metadata: [] });
  });
});
