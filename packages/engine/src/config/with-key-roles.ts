// Reads the `x-idflow` role annotations (see WithKeyRole in plugin.ts) of a plugin's schema against
// a `with:` block: which values are input paths, output paths, secrets, the target, tuning. The
// loader checks paths with it, the runner fingerprints settings with it.
import { type JsonSchema, WITH_KEY_ROLE, type WithKeyRole } from '../plugin.js';
import type { YamlPath } from './yaml-locator.js';

/** A value of a `with:` block whose schema declares a role; `path` is below `with:`. */
export interface RoleValue {
  path: YamlPath;
  role: WithKeyRole;
  value: unknown;
}

type SchemaNode = { [key: string]: unknown };

/** Every value of `data` whose schema node carries a role, outermost first. */
export function valuesWithRoles(schema: JsonSchema, data: unknown): RoleValue[] {
  const found: RoleValue[] = [];
  walk(schema, data, [], found);
  return found;
}

function walk(schema: SchemaNode, data: unknown, path: (string | number)[], found: RoleValue[]): void {
  const role = schema[WITH_KEY_ROLE];
  if (typeof role === 'string' && data !== undefined && !found.some((f) => f.role === role && samePath(f.path, path))) {
    found.push({ path: [...path], role: role as WithKeyRole, value: data });
  }
  for (const alternative of [...asList(schema.anyOf), ...asList(schema.oneOf), ...asList(schema.allOf)]) walk(alternative, data, path, found);
  if (Array.isArray(data)) {
    const items = schema.items;
    if (isNode(items)) for (const [i, item] of data.entries()) walk(items, item, [...path, i], found);
    return;
  }
  if (!isPlainObject(data)) return;
  const properties = isNode(schema.properties) ? (schema.properties as { [key: string]: SchemaNode }) : {};
  const additional = isNode(schema.additionalProperties) ? schema.additionalProperties : undefined;
  for (const [key, value] of Object.entries(data)) {
    const child = isNode(properties[key]) ? properties[key] : additional;
    if (child) walk(child, value, [...path, key], found);
  }
}

/** Roles that keep a value out of the settings a checkpoint is bound to (see WithKeyRole). */
const notSettings: ReadonlySet<WithKeyRole> = new Set(['input-path', 'output-path', 'output-dir', 'secret', 'secret-file', 'target', 'tuning']);

/**
 * The settings of a stage's `with:` block as `path → JSON text`, leaves only (a list is one leaf):
 * every value except those under a role (paths, secrets, target, tuning).
 */
export function settingsOf(schema: JsonSchema, data: unknown, prefix: YamlPath): { [path: string]: string } {
  const excluded = valuesWithRoles(schema, data)
    .filter((entry) => notSettings.has(entry.role))
    .map((entry) => entry.path);
  const settings: { [path: string]: string } = {};
  const visit = (value: unknown, path: (string | number)[]) => {
    if (excluded.some((prefixPath) => startsWith(path, prefixPath))) return;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
      return;
    }
    settings[[...prefix, ...path].join('.')] = JSON.stringify(value) ?? 'null';
  };
  if (isPlainObject(data)) for (const [key, child] of Object.entries(data)) visit(child, [key]);
  return settings;
}

/** Paths under a `secret` role, for redacting `--set` flags and messages. */
export function secretPaths(schema: JsonSchema, data: unknown): YamlPath[] {
  return valuesWithRoles(schema, data)
    .filter((entry) => entry.role === 'secret')
    .map((entry) => entry.path);
}

export function startsWith(path: YamlPath, prefix: YamlPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

function samePath(a: YamlPath, b: YamlPath): boolean {
  return a.length === b.length && startsWith(a, b);
}

function asList(value: unknown): SchemaNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
