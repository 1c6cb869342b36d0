// Plugin documentation generated from the plugin's own JSON Schema, so docs cannot drift from
// what validation accepts. Used by `idflow plugins <name>` and the docs generator.
import { stringify } from 'yaml';
import { type JsonSchema, type Plugin, WITH_KEY_ROLE, type WithKeyRole } from '../plugin.js';

/** How each role reads in the docs. */
const ROLE_FACTS: { [role in WithKeyRole]: string } = {
  'input-path': 'input file',
  'output-path': 'output file',
  'output-dir': 'output folder',
  secret: 'secret: never shown',
  'secret-file': 'secret file',
  target: 'target: a resumed run must use the same',
  tuning: 'tuning: may change between a run and its resume',
};

type SchemaNode = { [key: string]: unknown };

/** Markdown documentation of a plugin: description, every `with:` key (type, default, bounds, …) and an example stage. */
export function renderPluginDocs(plugin: Pick<Plugin, 'name' | 'kind' | 'description' | 'schema'>): string {
  const out = [`# ${plugin.name} (${plugin.kind})`, '', plugin.description, '', '## Configuration (`with:`)', ''];
  const keys = renderProperties(plugin.schema, 0);
  out.push(...(keys.length > 0 ? keys : ['This plugin takes no configuration.']));
  out.push('', '## Example', '', '```yaml', exampleStage(plugin).trimEnd(), '```', '');
  return out.join('\n');
}

/** One bullet per property, nested objects and object lists indented below their key. */
function renderProperties(schema: SchemaNode, depth: number): string[] {
  const properties = (schema.properties ?? {}) as { [key: string]: SchemaNode };
  const required = new Set((schema.required ?? []) as string[]);
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const role = property[WITH_KEY_ROLE] as WithKeyRole | undefined;
    const facts = [typeOf(property), ...(required.has(key) ? ['**required**'] : []), ...constraintsOf(property), ...(role ? [ROLE_FACTS[role]] : [])];
    const description = typeof property.description === 'string' ? `: ${property.description}` : '';
    lines.push(`${indent}- \`${key}\` (${facts.join(', ')})${description}`);
    if (property.properties) lines.push(...renderProperties(property, depth + 1));
    const items = property.items as SchemaNode | undefined;
    if (items?.properties) {
      lines.push(`${indent}  - each item:`);
      lines.push(...renderProperties(items, depth + 2));
    }
  }
  if (schema.additionalProperties !== false && schema.additionalProperties !== undefined && depth > 0) {
    lines.push(`${indent}- other keys: ${typeOf(schema.additionalProperties as SchemaNode)}`);
  }
  return lines;
}

/** `string`, `integer | string`, `list of string`, `map of string`. */
function typeOf(schema: SchemaNode): string {
  const alternatives = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
  if (alternatives) return alternatives.map(typeOf).join(' | ');
  if (schema.const !== undefined) return `constant ${JSON.stringify(schema.const)}`;
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (type === 'array') return schema.items ? `list of ${typeOf(schema.items as SchemaNode)}` : 'list';
  if (type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeOf(schema.additionalProperties as SchemaNode)}`;
  }
  return typeof type === 'string' ? type : schema.enum ? 'enum' : 'any';
}

function constraintsOf(schema: SchemaNode): string[] {
  const facts: string[] = [];
  if (schema.default !== undefined) facts.push(`default \`${JSON.stringify(schema.default)}\``);
  if (Array.isArray(schema.enum)) facts.push(`one of ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  const bounds: [string, string][] = [
    ['minimum', '>='],
    ['exclusiveMinimum', '>'],
    ['maximum', '<='],
    ['exclusiveMaximum', '<'],
    ['minLength', 'length >='],
    ['maxLength', 'length <='],
    ['minItems', 'items >='],
    ['maxItems', 'items <='],
  ];
  for (const [keyword, symbol] of bounds) if (typeof schema[keyword] === 'number') facts.push(`${symbol} ${schema[keyword]}`);
  if (typeof schema.pattern === 'string') facts.push(`matches \`/${schema.pattern}/\``);
  if (typeof schema.format === 'string') facts.push(`format ${schema.format}`);
  return facts;
}

/** A pipeline snippet using the plugin with its required keys (defaults, first enum values or placeholders). */
function exampleStage(plugin: Pick<Plugin, 'name' | 'kind' | 'schema'>): string {
  const stage: { use: string; with?: SchemaNode } = { use: plugin.name };
  const example = exampleValue(plugin.schema as SchemaNode, true);
  if (example && typeof example === 'object' && Object.keys(example).length > 0) stage.with = example as SchemaNode;
  const wrapped = plugin.kind === 'transform' ? { transforms: [stage] } : { [plugin.kind]: stage };
  return stringify(wrapped);
}

function exampleValue(schema: JsonSchema, requiredOnly: boolean): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives?.[0]) return exampleValue(alternatives[0], requiredOnly);
  if (schema.properties) {
    const required = new Set((schema.required ?? []) as string[]);
    const value: SchemaNode = {};
    for (const [key, property] of Object.entries(schema.properties as { [key: string]: JsonSchema })) {
      if (!requiredOnly || required.has(key)) value[key] = exampleValue(property, requiredOnly);
    }
    return value;
  }
  if (schema.type === 'array') return schema.items ? [exampleValue(schema.items as JsonSchema, requiredOnly)] : [];
  return `<${typeOf(schema as SchemaNode)}>`;
}
