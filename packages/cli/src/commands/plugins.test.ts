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
});
