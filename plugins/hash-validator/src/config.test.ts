import { describe, expect, it } from 'vitest';
import { hashValidatorSchema, resolveHashValidatorConfig } from './config.js';
import plugin from './index.js';

/** Every object schema closes its properties and every property documents itself. */
function schemaProblems(schema: unknown, path = 'with'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as { [key: string]: unknown };
  const problems: string[] = [];
  const properties = node.properties as { [key: string]: unknown } | undefined;
  if (properties) {
    if (node.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
    for (const [name, property] of Object.entries(properties)) {
      if (typeof (property as { description?: unknown }).description !== 'string') problems.push(`${path}.${name}: no description`);
      problems.push(...schemaProblems(property, `${path}.${name}`));
    }
  }
  for (const key of ['items', 'additionalProperties']) if (typeof node[key] === 'object') problems.push(...schemaProblems(node[key], `${path}[]`));
  for (const option of (node.oneOf as unknown[] | undefined) ?? []) problems.push(...schemaProblems(option, path));
  return problems;
}

describe('hash-validator config', () => {
  it('is a transform named hash-validator with a documented, closed schema', () => {
    expect(plugin).toMatchObject({ name: 'hash-validator', kind: 'transform', schema: hashValidatorSchema });
    expect(schemaProblems(hashValidatorSchema)).toEqual([]);
  });

  it('defaults to bcrypt only and reject for both policies', () => {
    const resolved = resolveHashValidatorConfig({});
    expect([...resolved.allow]).toEqual(['bcrypt']);
    expect(resolved).toMatchObject({ onInvalid: 'reject', onUnsupported: 'reject' });
    expect(resolved.verify.size).toBe(0);
  });

  it('reads verify as a list or a map, keyed by lower-cased email', () => {
    const fromList = resolveHashValidatorConfig({ verify: [{ email: ' Alice@Example.COM ', password: 'a' }] });
    const fromMap = resolveHashValidatorConfig({ verify: { 'Alice@Example.COM': 'a' } });
    expect([...fromList.verify]).toEqual([['alice@example.com', 'a']]);
    expect([...fromMap.verify]).toEqual([['alice@example.com', 'a']]);
  });
});

describe('allow as a comma-separated string', () => {
  it('accepts the list an environment variable gives, and the schema refuses unknown names', async () => {
    const { Ajv } = await import('ajv');
    const validate = new Ajv({ allErrors: true, keywords: ['x-idflow'] }).compile(hashValidatorSchema);
    expect(validate({ allow: 'bcrypt, pbkdf2,md5plain' })).toBe(true);
    expect(validate({ allow: 'bcrypt,sha1' })).toBe(false);
    expect([...resolveHashValidatorConfig({ allow: 'bcrypt, pbkdf2,md5plain' }).allow]).toEqual(['bcrypt', 'pbkdf2', 'md5plain']);
  });
});
