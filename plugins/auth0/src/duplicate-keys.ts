// Duplicate keys in one JSON record. JSON.parse keeps the last value without a word (as Go's
// encoding/json, and so zitadel-tools, do): idflow keeps that rule, so a record reads the same
// as with the reference tool, and warns, naming the key, so the operator can check the export.
//
// Finding duplicates exactly means walking the text's structure, which costs more than the parse
// itself; so a cheaper count comes first: the `":` key markers in the text against the keys of
// the parsed value. Only when they differ (a duplicate; a `\":` inside a string value; a key
// written `"key" :`) is the structure walked, to name the keys exactly.
//
// Even the cheap count costs ~0.7 µs a record, a fifth of JSON.parse's time and ~10% of the whole
// source's on NDJSON (measured, docs/benchmarks.md). So NDJSON is checked in full for its first
// records, then one record in `sampleEvery`, and in full again from the first record found with
// duplicates: repeated keys that come from how the file was made (an export_as collision, a
// converter) show from the first records; a single hand-edited line deep in a big file may go
// unnoticed (its last value is kept all the same). Readers that see the structure anyway
// (concatenated JSON, JSON arrays) check every record.

/** A structural token, as stream-json's tokenizer names them (the JSON-array reader feeds those). */
export type Token = { name: string; value?: unknown };

/** Occurrences of `pattern` in `text`. */
function occurrences(text: string, pattern: string): number {
  let count = 0;
  for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + pattern.length)) count++;
  return count;
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

/** Records of a file checked in full before sampling starts. */
export const fullyCheckedRecords = 10_000;
/** After those, one record in this many is checked (until one has duplicates). */
export const sampleEvery = 16;

/** The duplicate-key check of one file's NDJSON records: in full at first, then sampled (see the top of this file). */
export class SampledDuplicateKeyCheck {
  private records = 0;
  private everyRecord = true;

  /** Duplicate keys of record `text` parsed into `value`, if this record is checked and has any. */
  check(text: string, value: unknown): string[] | undefined {
    const index = this.records++;
    if (index === fullyCheckedRecords) this.everyRecord = false;
    if (!this.everyRecord && index % sampleEvery !== 0) return undefined;
    const found = duplicateKeysOf(text, value);
    if (found) this.everyRecord = true;
    return found;
  }
}

/**
 * Duplicate keys of a record `text` that JSON.parse turned into `value`; undefined when there are
 * none. `keyMarkers`: the keys the text holds, when the caller counted them while reading it.
 */
export function duplicateKeysOf(text: string, value: unknown, keyMarkers = occurrences(text, '":')): string[] | undefined {
  // Fewer markers than keys: keys written `"key" : value`, where duplicates may hide too.
  if (keyMarkers === countKeys(value)) return undefined;
  const found = exactDuplicateKeys(text);
  return found.length > 0 ? found : undefined;
}
