// Evaluates a parsed expression against one input record. Paths follow own properties only, so
// a path segment named `__proto__` or `constructor` reads data, never Object.prototype.

import { callFunction, type EvaluationEvents, toText } from './functions.js';
import type { Expression } from './syntax.js';

function readPath(input: unknown, segments: (string | number)[]): unknown {
  let current = input;
  for (const segment of segments) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as { [key: string]: unknown })[segment];
    } else return undefined;
  }
  return current;
}

/**
 * The value of `expression` for `input`; undefined when a path is missing. A template whose
 * every part is missing is undefined too, so `coalesce` can fall through it.
 */
export function evaluateExpression(expression: Expression, input: unknown, events: EvaluationEvents): unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'path':
      return readPath(input, expression.segments);
    case 'call':
      return callFunction(
        expression.name,
        expression.args.map((arg) => evaluateExpression(arg, input, events)),
        events,
      );
    case 'template': {
      let text = '';
      let anyPresent = false;
      for (const part of expression.parts) {
        if (typeof part === 'string') {
          text += part;
          continue;
        }
        const value = toText(evaluateExpression(part, input, events));
        if (value !== undefined && value !== '') anyPresent = true;
        text += value ?? '';
      }
      return anyPresent ? text : undefined;
    }
  }
}
