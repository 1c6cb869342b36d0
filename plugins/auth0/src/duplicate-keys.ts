// Duplicate keys in one JSON record. JSON.parse keeps the last value without a word (as Go's
// encoding/json, and so zitadel-tools, do): idflow keeps that rule, so a record reads the same
// as with the reference tool, and warns, naming the key, so the operator can check the export.
// Every record is checked.
//
// Finding duplicates exactly means walking the text's structure, which costs more than the parse
// itself; so cheap proofs that a record has none come first, and only a record neither proves
// is walked:
// 1. its length: a text exactly as long as the shortest JSON text of the parsed value repeats no
//    key (minimal-json-length.ts says why). One walk over the parsed value, the text untouched:
//    every compact line without needless escapes, i.e. nearly every line of an Auth0 export.
// 2. the key markers in the text (a quote, maybe whitespace, a colon: at least one per key written)
//    against the keys of the parsed value: no more markers than keys, no duplicate (a `\":` inside
//    a string value adds a marker and sends the record on). Counting them costs a fifth of
//    JSON.parse's time, so it comes first only where a reader counted the keys anyway (concatenated
//    JSON: the colons outside strings, while splitting values).
// The JSON-array reader sees the structure anyway and tracks keys from its tokens.

import { minimalJsonLength } from './minimal-json-length.js';

/** A structural token, as stream-json's tokenizer names them (the JSON-array reader feeds those). */
export type Token = { name: string; value?: unknown };

/** A key's closing quote and its colon; also matches inside a string value, never misses a key. */
const keyMarker = /"\s*:/g;

/** The key markers in `text`: at least as many as the keys it spells out. */
function keyMarkersIn(text: string): number {
  return text.match(keyMarker)?.length ?? 0;
}

/** Keys of every object in a parsed value. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object') count += countKeys(item);
    return count;
  }
  for (const key in value) {
    count++;
    const item = (value as { [key: string]: unknown })[key];
    if (item !== null && typeof item === 'object') count += countKeys(item);
  }
  return count;
}

interface Container {
  /** Keys seen so far (objects only). */
  keys?: Set<string>;
  path: string;
  /** Next element index (arrays only). */
  index: number;
}

/** Follows a token stream and notes every key repeated within one object, as a dotted path. */
export class DuplicateKeyTracker {
  private readonly stack: Container[] = [];
  private lastKey = '';
  private found: string[] = [];

  token(token: Token): void {
    switch (token.name) {
      case 'startObject':
        this.stack.push({ keys: new Set(), path: this.childPath(), index: 0 });
        return;
      case 'startArray':
        this.stack.push({ path: this.childPath(), index: 0 });
        return;
      case 'keyValue': {
        const key = String(token.value);
        const top = this.stack.at(-1);
        if (top?.keys?.has(key)) this.found.push(top.path ? `${top.path}.${key}` : key);
        else top?.keys?.add(key);
        this.lastKey = key;
        return;
      }
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        this.valueDone();
        return;
      default:
        this.valueDone();
    }
  }

  /** The duplicates noted since the last call. */
  take(): string[] {
    const found = this.found;
    this.found = [];
    return found;
  }

  /** Forgets any open containers (after a syntax error). */
  reset(): void {
    this.stack.length = 0;
    this.found = [];
  }

  private childPath(): string {
    const parent = this.stack.at(-1);
    if (!parent) return '';
    if (parent.keys) return parent.path ? `${parent.path}.${this.lastKey}` : this.lastKey;
    return `${parent.path}[${parent.index}]`;
  }

  private valueDone(): void {
    const parent = this.stack.at(-1);
    if (parent && !parent.keys) parent.index++;
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The index of the quote that closes the string opened at `open`. */
function stringEnd(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); ; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** The structure of valid JSON `text` as tokens (keys decoded; other values without their content). */
function* structureOf(text: string): Generator<Token> {
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      const end = stringEnd(text, at);
      let next = end + 1;
      while (isWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === 0x3a) yield { name: 'keyValue', value: JSON.parse(text.slice(at, end + 1)) as string };
      else yield { name: 'stringValue' };
      at = end + 1;
      continue;
    }
    if (code === 0x7b) yield { name: 'startObject' };
    else if (code === 0x7d) yield { name: 'endObject' };
    else if (code === 0x5b) yield { name: 'startArray' };
    else if (code === 0x5d) yield { name: 'endArray' };
    else if (code !== 0x2c && code !== 0x3a && !isWhitespace(code)) {
      // A number, true, false or null: up to the next delimiter.
      while (at + 1 < text.length && !/[,\]}\s]/.test(text[at + 1])) at++;
      yield { name: 'numberValue' };
    }
    at++;
  }
}

/** The keys `text` repeats within one object (dotted paths), exactly; `text` is valid JSON. */
export function exactDuplicateKeys(text: string): string[] {
  const tracker = new DuplicateKeyTracker();
  for (const token of structureOf(text)) tracker.token(token);
  return tracker.take();
}

/**
 * Duplicate keys of a record `text` that JSON.parse turned into `value`; undefined when there are
 * none. `keysWritten`: the keys the text spells out, when the caller counted them while reading it.
 */
export function duplicateKeysOf(text: string, value: unknown, keysWritten?: number): string[] | undefined {
  if (keysWritten === undefined && text.length === minimalJsonLength(value)) return undefined;
  if ((keysWritten ?? keyMarkersIn(text)) <= countKeys(value)) return undefined;
  const found = exactDuplicateKeys(text);
  return found.length > 0 ? found : undefined;
}
