import { definePlugin } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { formatPluginList } from './plugins.js';

describe('formatPluginList', () => {
  it('aligns name, kind and description', () => {
    const make = (name: string, kind: 'source' | 'sink', description: string) =>
      definePlugin({ name, kind, description, schema: {}, create: () => Promise.reject(new Error('unused')) }) as never;
    expect(formatPluginList([make('ndjson', 'source', 'Reads lines.'), make('zitadel-import', 'sink', 'Imports users.')])).toBe(
      'NAME            KIND       DESCRIPTION\nndjson          source     Reads lines.\nzitadel-import  sink       Imports users.\n',
    );
    expect(formatPluginList([])).toBe('No plugins registered.\n');
  });

  it('adds a FROM column once a plugin is custom: built-in, or the module it came from', () => {
    const make = (name: string, description: string) => definePlugin({ name, kind: 'transform', description, schema: {}, create: () => Promise.reject(new Error('unused')) }) as never;
    const mine = make('prefix-field', 'Mine.');
    const theirs = make('filter', 'Skips.');
    expect(formatPluginList([theirs, mine], (plugin) => (plugin === mine ? './dist/index.js' : undefined))).toBe(
      [
        'NAME          KIND       FROM             DESCRIPTION',
        'filter        transform  built-in         Skips.',
        'prefix-field  transform  ./dist/index.js  Mine.',
        '',
      ].join('\n'),
    );
  });
});
