import { describe, expect, it } from 'vitest';
import { renderPluginDocs } from './plugin-docs.js';

describe('renderPluginDocs', () => {
  it('documents every key with type, required, default, bounds, enum, nested objects and an example', () => {
    const docs = renderPluginDocs({
      name: 'zitadel',
      kind: 'sink',
      description: 'Imports users into ZITADEL.',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          url: { type: 'string', format: 'uri', description: 'Base URL of the instance.' },
          batchSize: { type: 'integer', minimum: 1, maximum: 20000, default: 100, description: 'Users per request.' },
          mode: { type: 'string', enum: ['import', 'create'], default: 'import', description: 'API to use.' },
          retry: {
            type: 'object',
            description: 'Retry policy.',
            properties: { attempts: { type: 'integer', minimum: 0, description: 'Tries after the first.' } },
          },
          headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra headers.' },
          fields: { type: 'array', items: { type: 'string' }, description: 'Fields.' },
          limit: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+%$' }], description: 'Limit.' },
        },
      },
    });
    expect(docs).toBe(
      [
        '# zitadel (sink)',
        '',
        'Imports users into ZITADEL.',
        '',
        '## Configuration (`with:`)',
        '',
        '- `url` (string, **required**, format uri): Base URL of the instance.',
        '- `batchSize` (integer, default `100`, >= 1, <= 20000): Users per request.',
        '- `mode` (string, default `"import"`, one of `"import"`, `"create"`): API to use.',
        '- `retry` (object): Retry policy.',
        '  - `attempts` (integer, >= 0): Tries after the first.',
        '- `headers` (map of string): Extra headers.',
        '- `fields` (list of string): Fields.',
        '- `limit` (integer | string): Limit.',
        '',
        '## Example',
        '',
        '```yaml',
        'sink:',
        '  use: zitadel',
        '  with:',
        '    url: <string>',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('says when a plugin takes no configuration and nests transform examples in a list', () => {
    const docs = renderPluginDocs({ name: 'noop', kind: 'transform', description: 'Does nothing.', schema: { type: 'object', additionalProperties: false } });
    expect(docs).toContain('This plugin takes no configuration.');
    expect(docs).toContain('```yaml\ntransforms:\n  - use: noop\n```');
  });

  it('documents object lists item by item', () => {
    const docs = renderPluginDocs({
      name: 'm',
      kind: 'transform',
      description: 'd',
      schema: {
        type: 'object',
        properties: { rules: { type: 'array', description: 'Rules.', items: { type: 'object', required: ['from'], properties: { from: { type: 'string', description: 'Source field.' } } } } },
      },
    });
    expect(docs).toContain('- `rules` (list of object): Rules.\n  - each item:\n    - `from` (string, **required**): Source field.');
  });
});
