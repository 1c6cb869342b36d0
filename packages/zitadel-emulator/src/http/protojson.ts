// The gateway's JSON rules, both ways: input accepts snake_case or camelCase keys and ignores
// unknown ones; a value of the wrong type is a 400 (code 3); output omits empty and false fields.
import { invalidArgument } from './api-error.js';

export type JsonObject = { [key: string]: unknown };

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Rewrites every object key to its camelCase (JSON) name, as the gateway accepts proto names too. */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const camel = snakeToCamel(key);
    // When both spellings are sent, the later wins, as protojson's last-field-wins rule.
    out[camel] = camelCaseKeys(inner);
  }
  return out;
}

function typeError(kind: string, path: string, value: unknown): Error {
  return invalidArgument(`proto: invalid value for ${kind} field ${path}: ${JSON.stringify(value)}`);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function present(parent: JsonObject, key: string): unknown {
  const value = parent[key];
  return value === null ? undefined : value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A nested message, or undefined when absent or null. */
export function readMessage(parent: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = present(parent, key);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw typeError('message', join(path, key), value);
  return value;
}

export function readString(parent: JsonObject, key: string, path: string): string | undefined {
  const value = present(parent, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw typeError('string', join(path, key), value);
  return value;
}

export function readBool(parent: JsonObject, key: string, path: string): boolean | undefined {
  const value = present(parent, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeError('bool', join(path, key), value);
  return value;
}

/** An integer field: protojson accepts a JSON number or a decimal string (int64). */
export function readInteger(parent: JsonObject, key: string, path: string): number | undefined {
  const value = present(parent, key);
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed)) throw typeError('integer', join(path, key), value);
  return parsed;
}

export function readList(parent: JsonObject, key: string, path: string): unknown[] {
  const value = present(parent, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError('repeated', join(path, key), value);
  return value;
}

/** A list of messages, each checked to be an object. */
export function readMessageList(parent: JsonObject, key: string, path: string): JsonObject[] {
  return readList(parent, key, path).map((item, index) => {
    if (!isJsonObject(item)) throw typeError('message', `${join(path, key)}[${index}]`, item);
    return item;
  });
}

export function readStringList(parent: JsonObject, key: string, path: string): string[] {
  return readList(parent, key, path).map((item, index) => {
    if (typeof item !== 'string') throw typeError('string', `${join(path, key)}[${index}]`, item);
    return item;
  });
}

/** An enum given by name or by number; unknown names are rejected as protojson does. */
export function readEnum<T extends string>(
  parent: JsonObject,
  key: string,
  path: string,
  names: readonly T[],
): T | undefined {
  const value = present(parent, key);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value];
  if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as T;
  throw typeError('enum', join(path, key), value);
}

/** A `bytes` field: a base64 (standard or URL-safe) string, decoded. */
export function readBytes(parent: JsonObject, key: string, path: string): Buffer | undefined {
  const value = readString(parent, key, path);
  if (value === undefined) return undefined;
  const normalized = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(normalized) || normalized.length % 4 === 1) throw typeError('bytes', join(path, key), value);
  return Buffer.from(normalized, 'base64');
}

/** Drops undefined, empty-string, false and empty-list fields, as protojson omits unpopulated fields. */
export function omitEmpty<T extends JsonObject>(value: T): Partial<T> {
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined || inner === null || inner === '' || inner === false) continue;
    if (Array.isArray(inner) && inner.length === 0) continue;
    out[key] = inner;
  }
  return out as Partial<T>;
}
