// Parses a mapping value into an Expression. Grammar:
//
//   value      := expression | template            (a bare value with `{…}` is a template)
//   expression := call | path | string | number | true | false | null
//   call       := name "(" [expression ("," expression)*] ")"
//   path       := name ("." name | "[" (integer | string) "]")*
//   string     := '"' … '"' | "'" … "'"           (a template: `{expression}` parts, `{{`/`}}` for braces)

import { checkCall } from './functions.js';
import { type Expression, ExpressionError, type Literal } from './syntax.js';

const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$-]/;

class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    /** Column of text[0] in the value the user wrote, for error messages. */
    readonly columnOffset = 0,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new ExpressionError(message, at + 1 + this.columnOffset);
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  peek(): string | undefined {
    this.skipSpaces();
    return this.text[this.pos];
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}" but found ${this.describeHere()}`);
    this.pos++;
  }

  describeHere(): string {
    return this.pos >= this.text.length ? 'the end' : `"${this.text[this.pos]}"`;
  }

  name(): string {
    const start = this.pos;
    if (!NAME_START.test(this.text[this.pos] ?? '')) this.fail(`expected a name but found ${this.describeHere()}`);
    while (this.pos < this.text.length && NAME_PART.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted string's content, escapes resolved; positioned on the opening quote. */
  quoted(): { content: string; column: number } {
    const quote = this.text[this.pos];
    const column = this.pos + 1;
    this.pos++;
    let content = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
      content += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) this.fail(`unterminated string`, column - 1);
    this.pos++;
    return { content, column };
  }
}

function parseExpressionAt(s: Scanner): Expression {
  const char = s.peek();
  if (char === undefined) s.fail('expected an expression but found the end');
  if (char === '"' || char === "'") {
    const { content, column } = s.quoted();
    return parseTemplate(content, s.columnOffset + column);
  }
  if (/[0-9]/.test(char)) {
    const start = s.pos;
    while (/[0-9.]/.test(s.text[s.pos] ?? '')) s.pos++;
    const value = Number(s.text.slice(start, s.pos));
    if (!Number.isFinite(value)) s.fail('invalid number', start);
    return { kind: 'literal', value };
  }
  const start = s.pos;
  const name = s.name();
  if (s.peek() === '(') return parseCall(s, name, start);
  const keyword: { [k: string]: Literal } = { true: true, false: false, null: null };
  if (name in keyword && s.peek() !== '.' && s.peek() !== '[') return { kind: 'literal', value: keyword[name] };
  return parsePath(s, name, start);
}

function parseCall(s: Scanner, name: string, start: number): Expression {
  s.expect('(');
  const args: Expression[] = [];
  if (s.peek() !== ')') {
    for (;;) {
      args.push(parseExpressionAt(s));
      if (s.peek() !== ',') break;
      s.pos++;
    }
  }
  s.expect(')');
  const problem = checkCall(name, args);
  if (problem) s.fail(problem, start);
  return { kind: 'call', name, args };
}

function parsePath(s: Scanner, first: string, start: number): Expression {
  const segments: (string | number)[] = [first];
  for (;;) {
    // No spaces inside a path: `profile .email` is a mistake worth reporting.
    const next = s.text[s.pos];
    if (next === '.') {
      s.pos++;
      segments.push(s.name());
    } else if (next === '[') {
      s.pos++;
      const inner = s.peek();
      if (inner === '"' || inner === "'") segments.push(s.quoted().content);
      else {
        const digits = /^[0-9]+/.exec(s.text.slice(s.pos));
        if (!digits) s.fail(`expected an index or a quoted key but found ${s.describeHere()}`);
        segments.push(Number(digits[0]));
        s.pos += digits[0].length;
      }
      s.expect(']');
    } else break;
  }
  return { kind: 'path', segments, text: s.text.slice(start, s.pos) };
}

/** Parses the content of a template (quotes already removed): text with `{expression}` parts. */
function parseTemplate(content: string, column: number): Expression {
  const parts: (string | Expression)[] = [];
  let text = '';
  let i = 0;
  while (i < content.length) {
    const char = content[i];
    if ((char === '{' || char === '}') && content[i + 1] === char) {
      text += char;
      i += 2;
    } else if (char === '}') {
      throw new ExpressionError('unmatched "}" in template (write "}}" for a literal brace)', column + i);
    } else if (char === '{') {
      const close = content.indexOf('}', i);
      if (close < 0) throw new ExpressionError('unclosed "{" in template', column + i);
      if (text) parts.push(text);
      text = '';
      const inner = new Scanner(content.slice(i + 1, close), column + i);
      parts.push(parseWhole(inner));
      i = close + 1;
    } else {
      text += char;
      i++;
    }
  }
  if (text || parts.length === 0) parts.push(text);
  if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0] };
  return { kind: 'template', parts };
}

function parseWhole(s: Scanner): Expression {
  const expression = parseExpressionAt(s);
  if (s.peek() !== undefined) s.fail(`unexpected ${s.describeHere()}`);
  return expression;
}

/** Parses one expression, strictly: no template fallback. Throws ExpressionError with the column. */
export function parseExpression(text: string): Expression {
  return parseWhole(new Scanner(text));
}

/**
 * Parses one mapping value. YAML numbers, booleans and null are constants; a string is an
 * expression, or — when it is not one and holds `{…}` — a template such as
 * `{profile.given_name} {profile.family_name}`. Throws ExpressionError with the column.
 */
export function parseMappingValue(value: Literal): Expression {
  if (typeof value !== 'string') return { kind: 'literal', value };
  try {
    return parseExpression(value);
  } catch (error) {
    if (!(error instanceof ExpressionError) || !value.includes('{')) throw error;
    return parseTemplate(value, 1);
  }
}

/** Every path an expression reads, for checking them against the known input shape. */
export function pathsOf(expression: Expression): Extract<Expression, { kind: 'path' }>[] {
  switch (expression.kind) {
    case 'path':
      return [expression];
    case 'template':
      return expression.parts.flatMap((part) => (typeof part === 'string' ? [] : pathsOf(part)));
    case 'call':
      return expression.args.flatMap(pathsOf);
    default:
      return [];
  }
}
