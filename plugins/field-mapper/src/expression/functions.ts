// The named functions of the mapping language. Each declares its arity and checks its literal
// arguments when the pipeline is loaded, so a typo fails `idflow validate`, not record 3,000,000.
// The predicates (equals, startsWith, …, and, or, not) answer true or false, never nothing: a
// missing value matches nothing. They are what the `filter` transform's conditions are made of.

import { truncateRunes } from '@idflow/plugin-zitadel-validate';
import { toE164 } from '../rules/e164.js';
import { type LanguageForm, toPreferredLanguage } from '../rules/preferred-language.js';
import { splitDisplayName } from '../rules/split-name.js';
import type { Expression } from './syntax.js';

/** What a function may report while it runs (e.g. that it cut a value). */
export interface EvaluationEvents {
  truncated(): void;
}

interface FunctionDefinition {
  /** `name(args)` as shown in error messages. */
  signature: string;
  minArgs: number;
  maxArgs: number;
  /** Checks literal arguments at parse time; answers a problem or undefined. */
  checkArgs?(args: Expression[]): string | undefined;
  call(args: unknown[], events: EvaluationEvents): unknown;
}

/** A value as text: strings as they are, numbers and booleans printed, objects as JSON, nothing as undefined. */
export function toText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function literalArg(args: Expression[], index: number): unknown {
  const arg = args[index];
  return arg?.kind === 'literal' ? arg.value : undefined;
}

function requireLiteral(args: Expression[], index: number, allowed: readonly string[], what: string): string | undefined {
  if (index >= args.length) return undefined;
  const value = literalArg(args, index);
  return typeof value === 'string' && allowed.includes(value) ? undefined : `${what} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
}

/** Only `true` is true: a missing value, `"true"` or 1 are not (conditions say what they mean). */
function isTrue(value: unknown): boolean {
  return value === true;
}

/** A predicate over text: false when the value is missing. */
function textTest(test: (text: string, arg: string) => boolean): (args: unknown[]) => boolean {
  return ([value, arg]) => {
    const text = toText(value);
    const other = toText(arg);
    return text !== undefined && other !== undefined && test(text, other);
  };
}

/** Regular expressions of `matches`, compiled once per (literal) pattern and flags. */
const compiledPatterns = new Map<string, RegExp>();

function patternOf(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = compiledPatterns.get(key);
  if (!regex) {
    regex = new RegExp(pattern, flags);
    compiledPatterns.set(key, regex);
  }
  return regex;
}

const FUNCTIONS: { [name: string]: FunctionDefinition } = {
  coalesce: {
    signature: 'coalesce(value, …)',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    call: (args) => args.find((value) => !isMissing(value)),
  },
  lower: {
    signature: 'lower(text)',
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => toText(value)?.toLowerCase(),
  },
  trim: {
    signature: 'trim(text)',
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => toText(value)?.trim(),
  },
  truncate: {
    signature: 'truncate(text, maxRunes)',
    minArgs: 2,
    maxArgs: 2,
    checkArgs(args) {
      const max = literalArg(args, 1);
      return typeof max === 'number' && Number.isInteger(max) && max > 0 ? undefined : 'maxRunes must be a positive whole number';
    },
    call([value, max], events) {
      const text = toText(value);
      if (text === undefined) return undefined;
      const cut = truncateRunes(text, max as number);
      if (cut !== text) events.truncated();
      return cut;
    },
  },
  splitName: {
    signature: 'splitName(name, "first" | "last")',
    minArgs: 2,
    maxArgs: 2,
    checkArgs: (args) => requireLiteral(args, 1, ['first', 'last'], 'the part'),
    call([value, part]) {
      const text = toText(value);
      const split = text === undefined ? undefined : splitDisplayName(text);
      return part === 'first' ? split?.first : split?.last;
    },
  },
  language: {
    signature: 'language(locale, "tag" | "base")',
    minArgs: 1,
    maxArgs: 2,
    checkArgs: (args) => requireLiteral(args, 1, ['tag', 'base'], 'the form'),
    call: ([value, form]) => toPreferredLanguage(value, (form as LanguageForm | undefined) ?? 'tag')?.tag,
  },
  e164: {
    signature: 'e164(phone)',
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => toE164(value),
  },
  base64: {
    signature: 'base64(value)',
    minArgs: 1,
    maxArgs: 1,
    // Text is encoded as its UTF-8 bytes; anything else as its JSON.
    call: ([value]) => (value === undefined ? undefined : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64')),
  },
  json: {
    signature: 'json(value)',
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => (value === undefined ? undefined : JSON.stringify(value)),
  },
  domain: {
    signature: 'domain(email)',
    minArgs: 1,
    maxArgs: 1,
    // The part after the last @, trimmed and lower-cased (domains are case-insensitive).
    call([value]) {
      const text = toText(value)?.trim();
      const at = text?.lastIndexOf('@') ?? -1;
      return text === undefined || at < 0 || at === text.length - 1 ? undefined : text.slice(at + 1).toLowerCase();
    },
  },
  equals: {
    signature: 'equals(value, candidate, …)',
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    // Compared as text, so `equals(profile.logins_count, 12)` and `equals(profile.blocked, true)` hold.
    call([value, ...candidates]) {
      const text = toText(value);
      return text !== undefined && candidates.some((candidate) => toText(candidate) === text);
    },
  },
  startsWith: { signature: 'startsWith(text, prefix)', minArgs: 2, maxArgs: 2, call: textTest((text, prefix) => text.startsWith(prefix)) },
  endsWith: { signature: 'endsWith(text, suffix)', minArgs: 2, maxArgs: 2, call: textTest((text, suffix) => text.endsWith(suffix)) },
  contains: { signature: 'contains(text, part)', minArgs: 2, maxArgs: 2, call: textTest((text, part) => text.includes(part)) },
  matches: {
    signature: 'matches(text, "regex" [, "i"])',
    minArgs: 2,
    maxArgs: 3,
    checkArgs(args) {
      const pattern = literalArg(args, 1);
      if (typeof pattern !== 'string') return 'the pattern must be a quoted regular expression';
      const flags = args.length > 2 ? literalArg(args, 2) : '';
      if (flags !== '' && flags !== 'i') return 'the flags must be "i" (case-insensitive) or left out';
      try {
        new RegExp(pattern);
      } catch (error) {
        return `invalid regular expression: ${(error as Error).message}`;
      }
      return undefined;
    },
    call([value, pattern, flags]) {
      const text = toText(value);
      return text !== undefined && patternOf(pattern as string, (flags as string | undefined) ?? '').test(text);
    },
  },
  exists: {
    signature: 'exists(value)',
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => !isMissing(value),
  },
  not: { signature: 'not(condition)', minArgs: 1, maxArgs: 1, call: ([value]) => !isTrue(value) },
  and: { signature: 'and(condition, …)', minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, call: (args) => args.every(isTrue) },
  or: { signature: 'or(condition, …)', minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, call: (args) => args.some(isTrue) },
};

/** Functions that always answer true or false: what a condition (a `filter`'s) may be built of at its top. */
export const PREDICATE_NAMES: ReadonlySet<string> = new Set(['equals', 'startsWith', 'endsWith', 'contains', 'matches', 'exists', 'not', 'and', 'or']);

/** Names of the functions the language knows. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

/** Checks a call when it is parsed: known function, arity, literal arguments. Answers a problem or undefined. */
export function checkCall(name: string, args: Expression[]): string | undefined {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return `unknown function "${name}" (known: ${FUNCTION_NAMES.join(', ')})`;
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    return `${name} takes ${fn.minArgs === fn.maxArgs ? fn.minArgs : `${fn.minArgs} to ${fn.maxArgs === Number.POSITIVE_INFINITY ? 'any number of' : fn.maxArgs}`} argument(s): ${fn.signature}`;
  }
  const problem = fn.checkArgs?.(args);
  return problem ? `${name}: ${problem}: ${fn.signature}` : undefined;
}

/** Runs a function already checked by `checkCall`. */
export function callFunction(name: string, args: unknown[], events: EvaluationEvents): unknown {
  return FUNCTIONS[name].call(args, events);
}
