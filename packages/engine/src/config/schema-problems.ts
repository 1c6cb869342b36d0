// Turns ajv's validation errors into short, exact messages on YAML paths:
// `must be <= 20000 (got 50000)`, `unknown key "batchsize" (did you mean "batchSize"?)`.
import type { ErrorObject } from 'ajv';
import { didYouMean } from './suggest.js';
import type { YamlPath } from './yaml-locator.js';

export interface SchemaProblem {
  path: YamlPath;
  /** Locate the key of the last path segment rather than its value (unknown keys). */
  atKey: boolean;
  message: string;
  /** For a wrong type: the types the schema accepts. */
  expectedTypes?: readonly string[];
}

// Values under such keys are never echoed back in messages: they may be secrets.
const SECRET_KEY = /secret|password|passwd|token|credential|private|api[-_]?key|key[-_]?file/i;

/** Converts ajv errors (from a validator compiled with `allErrors` and `verbose`) into problems under `base`. */
export function schemaProblems(errors: readonly ErrorObject[], base: YamlPath): SchemaProblem[] {
  // An `anyOf`/`oneOf` that failed is reported once, without the failures of each branch.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    if (alternatives.some((prefix) => error.schemaPath !== prefix && error.schemaPath.startsWith(`${prefix}/`))) continue;
    problems.push(toProblem(error, [...base, ...pointerToPath(error.instancePath)]));
  }
  return problems;
}

function toProblem(error: ErrorObject, path: YamlPath): SchemaProblem {
  const params = error.params as { [key: string]: unknown };
  const got = describeValue(error.data, path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const hint = didYouMean(key, known) || (known.length > 0 ? `; known keys: ${known.join(', ')}` : '; no keys are allowed here');
      return { path: [...path, key], atKey: true, message: `unknown key "${key}"${hint}` };
    }
    case 'required':
      return { path: [...path, String(params.missingProperty)], atKey: false, message: 'is required' };
    case 'type':
      return { path, atKey: false, message: `must be ${article(String(params.type).replace(/,/g, ' or '))}${got}`, expectedTypes: String(params.type).split(',') };
    case 'enum':
      return { path, atKey: false, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}` };
    case 'const':
      return { path, atKey: false, message: `must be ${JSON.stringify(params.allowedValue)}${got}` };
    case 'pattern':
      return { path, atKey: false, message: `must match /${String(params.pattern)}/${got}` };
    case 'anyOf':
    case 'oneOf':
      return { path, atKey: false, message: `must be ${describeAlternatives(error.schema)}${got}` };
    default:
      return { path, atKey: false, message: `${error.message ?? `fails "${error.keyword}"`}${got}` };
  }
}

/** `/sink/with/batchSize` → `['sink', 'with', 'batchSize']`, indices as numbers. */
function pointerToPath(pointer: string): YamlPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** ` (got 50000)`, or nothing for values that could be secrets or are too bulky to help. */
function describeValue(value: unknown, path: YamlPath): string {
  if (path.some((segment) => typeof segment === 'string' && SECRET_KEY.test(segment))) return '';
  if (value === null) return ' (got null)';
  if (Array.isArray(value)) return ` (got a list of ${value.length})`;
  if (typeof value === 'object') return ' (got a map)';
  const text = JSON.stringify(value);
  if (text === undefined) return '';
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function article(type: string): string {
  return /^(integer|object|array)/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `an integer >= 0, or a string matching /^\d+%$/` from the branches of an anyOf/oneOf. */
function describeAlternatives(branches: unknown): string {
  if (!Array.isArray(branches)) return 'one of the allowed forms';
  return branches
    .map((branch: { [key: string]: unknown }) => {
      if (typeof branch.description === 'string') return branch.description;
      const parts = [branch.type ? article(String(branch.type)) : 'a value'];
      if (branch.minimum !== undefined) parts.push(`>= ${String(branch.minimum)}`);
      if (branch.maximum !== undefined) parts.push(`<= ${String(branch.maximum)}`);
      if (branch.pattern !== undefined) parts.push(`matching /${String(branch.pattern)}/`);
      if (branch.enum !== undefined) parts.push(`one of ${(branch.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
      return parts.join(' ');
    })
    .join(', or ');
}
