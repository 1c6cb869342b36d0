// ajv set up once for pipelines: every error at once (`allErrors`), with the offending data and
// schema attached (`verbose`) so messages can say what was found and suggest known keys.
import { Ajv, type ValidateFunction } from 'ajv';
import { type JsonSchema, WITH_KEY_ROLE, type WithKeyRole } from '../plugin.js';
import { type SchemaProblem, schemaProblems } from './schema-problems.js';
import type { YamlPath } from './yaml-locator.js';

// `useDefaults` fills a plugin's `with:` block with the defaults its schema declares, so plugins
// receive the documented values. Formats beyond these few are a schema error (strict mode).
// Each validator runs a handful of times per run, so its code is not optimised: compiling the
// pipeline's schemas took ~90 ms of every start with the optimiser, ~50 without. A schema is
// checked against the JSON Schema meta-schema before its first use, unless it is one the
// command ships (trustSchemas; their tests check them): that check alone compiles the
// meta-schema, another ~40 ms of every start.
const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: true, validateSchema: false, code: { optimize: false } });
ajv.addFormat('uri', isAbsoluteUrl);
ajv.addFormat('url', isAbsoluteUrl);
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
const roles: readonly WithKeyRole[] = ['input-path', 'output-path', 'output-dir', 'secret', 'secret-file', 'target', 'tuning'];
// An annotation only: it validates nothing, the loader and the runner read it (see WithKeyRole).
ajv.addKeyword({ keyword: WITH_KEY_ROLE, schemaType: 'string', metaSchema: { enum: roles } });

function isAbsoluteUrl(text: string): boolean {
  try {
    return Boolean(new URL(text).protocol);
  } catch {
    return false;
  }
}

const compiled = new WeakMap<JsonSchema, ValidateFunction>();
const trusted = new WeakSet<JsonSchema>();

/** Marks schemas shipped with idflow (checked by its tests) as valid, so starts skip the meta-schema check. */
export function trustSchemas(schemas: Iterable<JsonSchema>): void {
  for (const schema of schemas) trusted.add(schema);
}

/** Why `schema` is not a valid JSON Schema (draft-07, strict), or undefined when it is. */
export function schemaDefinitionProblem(schema: JsonSchema): string | undefined {
  return ajv.validateSchema(schema) ? undefined : `schema is invalid: ${ajv.errorsText(ajv.errors)}`;
}

/** Compiles `schema` once (throws when the schema itself is invalid). */
function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    if (!trusted.has(schema)) {
      const problem = schemaDefinitionProblem(schema);
      if (problem !== undefined) throw new Error(problem);
    }
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates `data` (filling in defaults) and returns every problem, located under `base`. */
export function validateAgainstSchema(schema: JsonSchema, data: unknown, base: YamlPath): SchemaProblem[] {
  const validate = validatorFor(schema);
  return validate(data) ? [] : schemaProblems(validate.errors ?? [], base);
}
