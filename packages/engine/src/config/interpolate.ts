// `${VAR}` interpolation of string values in a pipeline file.
//
// Forms (shell-like):
//   ${VAR}            the variable's value; unset is a config error (empty is allowed)
//   ${VAR:-default}   the default when VAR is unset or empty
//   ${VAR:?message}   a config error carrying `message` when VAR is unset or empty
//   $${               a literal `${` (the escape)
// Typing rule: the result is a string, except when an UNQUOTED scalar consists of exactly one
// `${…}` expression and the substituted text reads as a YAML number or boolean: then it takes that
// type, so `concurrency: ${WORKERS:-4}` is the number 4. Quote the scalar ("${PORT}") to keep a string;
// where the plugin's schema asks for a string anyway (a numeric id or secret), the loader keeps the
// original text, so `orgId: ${ORG_ID}` stays "123456789012345678" and never loses digits.
// Only values are interpolated, never keys.
import { type Document, isPair, isScalar, isSeq, Scalar, visit } from 'yaml';
import { typedScalar } from './typed-scalar.js';
import type { YamlPath } from './yaml-locator.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InterpolatedText {
  value: string;
  /** The text was exactly one `${…}` expression (nothing around it). */
  wholeExpression: boolean;
  /** One message per unset variable or malformed expression; empty when it all resolved. */
  problems: string[];
  /** Variables written `${VAR}` (no default) that were set but empty: an output path built on one is suspect. */
  emptyVariables: string[];
}

/** Substitutes every `${…}` expression in `text` from `env`. */
export function interpolateText(text: string, env: NodeJS.ProcessEnv): InterpolatedText {
  let value = '';
  let expressions = 0;
  const problems: string[] = [];
  const emptyVariables: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end < 0) {
      problems.push(`unterminated "\${" (write "$\${" for a literal "\${")`);
      value += text.slice(i);
      break;
    }
    expressions += 1;
    const resolved = resolveExpression(text.slice(i + 2, end), env);
    if ('problem' in resolved) problems.push(resolved.problem);
    else value += resolved.value;
    if ('value' in resolved && resolved.value === '' && resolved.variable) emptyVariables.push(resolved.variable);
    i = end + 1;
  }
  const wholeExpression = expressions === 1 && text.startsWith('${') && text.endsWith('}') && text.indexOf('}') === text.length - 1;
  return { value, wholeExpression, problems, emptyVariables };
}

function resolveExpression(expression: string, env: NodeJS.ProcessEnv): { value: string; variable?: string } | { problem: string } {
  const operator = /:[-?]/.exec(expression);
  const name = operator ? expression.slice(0, operator.index) : expression;
  if (!NAME.test(name)) return { problem: `malformed variable reference "\${${expression}}"` };
  const current = env[name];
  if (!operator) {
    return current === undefined ? { problem: `environment variable ${name} is not set (use \${${name}:-default} for a default)` } : { value: current, variable: name };
  }
  const argument = expression.slice(operator.index + 2);
  if (current !== undefined && current !== '') return { value: current };
  if (operator[0] === ':-') return { value: argument };
  return { problem: `environment variable ${name} is ${current === undefined ? 'not set' : 'empty'}${argument ? `: ${argument}` : ''}` };
}

export interface InterpolationProblem {
  path: YamlPath;
  message: string;
}

/** A value the typing rule turned into a number or boolean, with the text it came from. */
export interface TypedValue {
  path: YamlPath;
  text: string;
}

export interface InterpolatedDocument {
  problems: InterpolationProblem[];
  /** Values typed by the rule: where a schema wants a string, the loader puts `text` back. */
  typed: TypedValue[];
  /** Dotted path → the `${VAR}`s (no default) that were set but empty in that value. */
  emptyVariables: Map<string, string[]>;
}

/** Interpolates every string value of the document in place; returns problems and typed values with their paths. */
export function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv): InterpolatedDocument {
  const problems: InterpolationProblem[] = [];
  const typed: TypedValue[] = [];
  const emptyVariables = new Map<string, string[]>();
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const result = interpolateText(node.value, env);
      const path = pathOf(ancestry, node);
      for (const message of result.problems) problems.push({ path, message });
      if (result.emptyVariables.length > 0) emptyVariables.set(path.join('.'), result.emptyVariables);
      const value = node.type === Scalar.PLAIN && result.wholeExpression ? typedScalar(result.value) : result.value;
      if (typeof value !== 'string') typed.push({ path, text: result.value });
      node.value = value;
    },
  });
  return { problems, typed, emptyVariables };
}

/** Rebuilds the key/index path of `node` from the visitor's ancestry (document, maps, pairs, sequences). */
function pathOf(ancestry: readonly unknown[], node: unknown): YamlPath {
  const path: (string | number)[] = [];
  const chain = [...ancestry, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    if (isPair(parent)) path.push(isScalar(parent.key) ? String(parent.key.value) : String(parent.key));
    else if (isSeq(parent)) path.push(parent.items.indexOf(chain[i]));
  }
  return path;
}
