// The filter's `with:` block: its type, its JSON Schema (docs are generated from it), and the
// condition compiled once, checked when the pipeline is loaded.
import type { JsonSchema } from '@idflow/engine';
import { type Expression, ExpressionError, PREDICATE_NAMES, parseExpression } from '@idflow/plugin-field-mapper';

export interface FilterConfig {
  /** The condition, e.g. `equals(domain(profile.email), "example.com")`. */
  condition: string;
  /** Skip the records the condition holds for (default false: keep them, skip the others). */
  exclude?: boolean;
  /** The reason skipped records are counted under (default: says the condition). */
  reason?: string;
}

export const filterSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['condition'],
  description: 'Keeps the records a condition holds for and skips the others (or skips those it holds for, with `exclude`).',
  properties: {
    condition: {
      type: 'string',
      minLength: 1,
      description:
        'A condition in the field mapper\'s expression language, on the record as it reaches this stage (the auth0 source\'s `profile.…` before the field-mapper, the ZITADEL user\'s `user.…` after it): `equals(value, a, b, …)`, `startsWith`, `endsWith`, `contains(text, x)`, `matches(text, "regex" [, "i"])`, `exists(value)`, `not`, `and`, `or`, with `domain(email)`, `lower(x)`… inside, or a path to a true/false field. A missing value matches nothing. E.g. `equals(profile.identities[0].connection, "Username-Password-Authentication")`.',
    },
    exclude: {
      type: 'boolean',
      default: false,
      description: '`false` (default): keep the records the condition holds for, skip the others. `true`: skip the records it holds for, keep the others.',
    },
    reason: {
      type: 'string',
      minLength: 1,
      description:
        'What skipped records are counted under in the report and the summary, e.g. `not a database user` (default: `condition is false: <condition>`, or `excluded: <condition>` with `exclude`). Skipped records are not rejected: no dead letter, not counted toward maxRejects.',
    },
  },
};

/** A condition ready to evaluate, and what to call the records it skips. */
export interface CompiledFilter {
  condition: Expression;
  exclude: boolean;
  reason: string;
}

/** Compiles the config; throws ExpressionError (with the column) for a condition that cannot be one. */
export function compileFilter(config: FilterConfig): CompiledFilter {
  const text = config.condition.trim();
  const condition = parseExpression(text);
  if (!canBeCondition(condition)) {
    throw new ExpressionError(
      `a condition must give true or false: a predicate (${[...PREDICATE_NAMES].join(', ')}), a path to a true/false field, or true/false; got ${describe(condition)}`,
    );
  }
  const exclude = config.exclude === true;
  return { condition, exclude, reason: config.reason ?? `${exclude ? 'excluded' : 'condition is false'}: ${text}` };
}

function canBeCondition(expression: Expression): boolean {
  switch (expression.kind) {
    case 'call':
      return PREDICATE_NAMES.has(expression.name);
    case 'path':
      return true;
    case 'literal':
      return typeof expression.value === 'boolean';
    default:
      return false;
  }
}

function describe(expression: Expression): string {
  switch (expression.kind) {
    case 'call':
      return `${expression.name}(…), which gives a value, not true or false (compare it: equals(${expression.name}(…), "…"))`;
    case 'literal':
      return `the constant ${JSON.stringify(expression.value)}`;
    default:
      return 'a template, which gives text';
  }
}
