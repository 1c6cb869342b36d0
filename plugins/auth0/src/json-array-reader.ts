// A JSON array of profiles (what some tools and the old Import/Export extension write), streamed
// with stream-json's tokenizer and array streamer, never loaded whole. Lines are fed to the
// tokenizer one at a time, so each element is located on the line where its first token
// appears. After a syntax error the element is reported and reading resumes at the next line
// that starts a new object. An element holding bytes that are not UTF-8 is reported too (the
// tokenizer sees them as U+FFFD), and repeated keys are noted as the tokens go by.

import { jsonParser } from 'stream-json/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { DuplicateKeyTracker, type Token } from './duplicate-keys.js';
import { excerptOf, type ParsedItem, type TextInput } from './parsed-item.js';
import { firstInvalidUtf8, isUtf8 } from './utf8-check.js';

/** stream-chain's markers: `none` (no output, or end of input when fed) and `many` (several outputs). */
const none = Symbol.for('object-stream.none');
const manyMarker = Symbol.for('object-stream.many');

type Outputs<T> = T | typeof none | { [manyMarker]: 1; values: T[] };

function valuesOf<T>(output: Outputs<T>): T[] {
  if (output === none) return [];
  if (typeof output === 'object' && output !== null && manyMarker in output) return (output as { values: T[] }).values;
  return [output as T];
}

const valueStart = new Set(['startObject', 'startArray', 'stringValue', 'numberValue', 'nullValue', 'trueValue', 'falseValue']);

interface Line {
  text: string;
  line: number;
  offset: number;
  /** Why the line's bytes are not valid text, if they are not, and where the first bad byte is. */
  undecodable?: Undecodable;
}

type Undecodable = { reason: string; byteOffset: number };

/** Splits chunks into lines (with their line ends, which the tokenizer needs as whitespace). */
async function* linesOf(input: TextInput): AsyncGenerator<Line[]> {
  let carry: Buffer | undefined;
  let offset = input.startOffset;
  let line = 1;
  const lineOf = (bytes: Buffer, start: number, end: number, checked: boolean): Line => {
    const item: Line = { text: bytes.toString('utf8', start, end), line, offset };
    if (!checked && !isUtf8(bytes.subarray(start, end))) {
      const bad = firstInvalidUtf8(bytes, start, end);
      item.undecodable = { reason: input.undecodable(bytes[bad]), byteOffset: offset + bad - start };
    }
    return item;
  };
  for await (const incoming of input.chunks) {
    const chunk = carry ? Buffer.concat([carry, incoming]) : incoming;
    carry = undefined;
    const batch: Line[] = [];
    // One check for all the chunk's complete lines; only a chunk that fails it is checked line by line.
    const complete = chunk.lastIndexOf(0x0a) + 1;
    const valid = isUtf8(chunk.subarray(0, complete));
    let start = 0;
    let end = chunk.indexOf(0x0a, start);
    while (end !== -1) {
      batch.push(lineOf(chunk, start, end + 1, valid));
      offset += end + 1 - start;
      line++;
      start = end + 1;
      end = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) carry = chunk.subarray(start);
    yield batch;
  }
  if (carry) yield [lineOf(carry, 0, carry.length, false)];
}

/** The tokenizer, the array streamer and the depth bookkeeping that locates elements. */
class ArrayTokenizer {
  private readonly tokenize = jsonParser({ streamValues: false }) as unknown as (input: string | typeof none) => Outputs<Token>;
  private readonly stream = streamArray() as unknown as (token: Token | symbol) => Outputs<{ key: number; value: unknown }>;
  private readonly duplicates = new DuplicateKeyTracker();
  private depth = 0;
  /** Where each started but not yet finished element begins, and why it cannot be taken if it cannot. */
  readonly starts: { line: number; offset: number; undecodable?: Undecodable }[] = [];
  private lastStart = { line: 0, offset: -1 };

  feed(input: string | typeof none, at: Line | undefined, out: ParsedItem[]): void {
    if (at?.undecodable) {
      // The elements the line belongs to are rejected when they end.
      for (const start of this.starts) start.undecodable ??= at.undecodable;
    }
    for (const token of valuesOf(this.tokenize(input))) {
      if (this.depth === 1 && at && valueStart.has(token.name)) {
        // Several elements on one line (a minified array) share its start offset; a rising
        // offset keeps origins distinct and ordered for resume.
        const offset = at.line === this.lastStart.line ? this.lastStart.offset + 1 : at.offset;
        this.lastStart = { line: at.line, offset };
        this.starts.push({ ...this.lastStart, undecodable: at.undecodable });
        this.duplicates.reset();
      }
      if (this.depth >= 1) this.duplicates.token(token);
      if (token.name === 'startObject' || token.name === 'startArray') this.depth++;
      else if (token.name === 'endObject' || token.name === 'endArray') this.depth--;
      for (const item of valuesOf(this.stream(token))) {
        const start = this.starts.shift() ?? { line: at?.line ?? 0, offset: at?.offset ?? 0 };
        if (start.undecodable) {
          const { reason, byteOffset } = start.undecodable;
          out.push({ line: start.line, offset: start.offset, error: reason, excerpt: excerptOf(JSON.stringify(item.value)), byteOffset });
          continue;
        }
        const parsed: ParsedItem = { line: start.line, offset: start.offset, value: item.value };
        const duplicateKeys = this.duplicates.take();
        if (duplicateKeys.length > 0) parsed.duplicateKeys = duplicateKeys;
        out.push(parsed);
      }
    }
  }
}

/** Reads a JSON array export. */
export async function* readJsonArray(input: TextInput): AsyncGenerator<ParsedItem[]> {
  let tokenizer = new ArrayTokenizer();
  let resyncing = false;
  let last: Line | undefined;
  for await (const lines of linesOf(input)) {
    const out: ParsedItem[] = [];
    for (const line of lines) {
      last = line;
      if (resyncing) {
        // Resume at the next line that starts an object: a fresh tokenizer sees it as a new array.
        if (!/^\s*\{/.test(line.text)) continue;
        resyncing = false;
        tokenizer = new ArrayTokenizer();
        tokenizer.feed('[', undefined, out);
      }
      try {
        tokenizer.feed(line.text, line, out);
      } catch (error) {
        const start = tokenizer.starts[0] ?? line;
        out.push({ line: start.line, offset: start.offset, error: `${(error as Error).message} (at line ${line.line})`, excerpt: excerptOf(line.text.trim()) });
        resyncing = true;
      }
    }
    if (out.length > 0) yield out;
  }
  if (resyncing) return;
  const out: ParsedItem[] = [];
  try {
    tokenizer.feed(none, last, out);
  } catch (error) {
    const start = tokenizer.starts[0] ?? last ?? { line: 1, offset: input.startOffset };
    out.push({ line: start.line, offset: start.offset, error: `${(error as Error).message} (at end of input)`, excerpt: excerptOf(last?.text.trim() ?? '') });
  }
  if (out.length > 0) yield out;
}
