// The named functions of the mapping language. Each declares its arity and checks its literal
// arguments when the pipeline is loaded, so a typo fails `idflow validate`, not record 3,000,000.

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
};

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
