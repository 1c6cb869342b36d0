import { schemaDefinitionProblem } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtins.js';

// The command trusts these schemas at start (no meta-schema check there): this is that check.
describe('built-in plugins', () => {
  it.each(builtinPlugins.map((plugin) => [plugin.name, plugin] as const))('%s has a valid JSON Schema for its with: block', (_name, plugin) => {
    expect(schemaDefinitionProblem(plugin.schema)).toBeUndefined();
  });
});
