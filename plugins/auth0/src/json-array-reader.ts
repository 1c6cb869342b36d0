// A JSON array of profiles (what some tools and the old Import/Export extension write), streamed
// with stream-json's tokenizer and array streamer, never loaded whole. Lines are fed to the
// tokenizer one at a time, so each element is located on the line where its first token
// appears. After a syntax error the element is reported and reading resumes at the next line
// that starts a new object.

import { jsonParser } from 'stream-json/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { type ParsedItem, excerptOf } from './parsed-item.js';

/** stream-chain's markers: `none` (no output) and `many` (several outputs). */
const none = Symbol.for('object-stream.none');
const manyMarker = Symbol.for('object-stream.many');

type Token = { name: string; value?: unknown };
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
}

/** Splits chunks into lines (with their line ends, which the tokenizer needs as whitespace). */
async function* linesOf(chunks: AsyncIterable<Buffer>, startOffset: number): AsyncGenerator<Line[]> {
  let carry: Buffer | undefined;
  let offset = startOffset;
  let line = 1;
  for await (const incoming of chunks) {
    const chunk = carry ? Buffer.concat([carry, incoming]) : incoming;
    carry = undefined;
    const batch: Line[] = [];
    let start = 0;
    let end = chunk.indexOf(0x0a, start);
    while (end !== -1) {
      batch.push({ text: chunk.toString('utf8', start, end + 1), line, offset });
      offset += end + 1 - start;
      line++;
      start = end + 1;
      end = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) carry = chunk.subarray(start);
    yield batch;
  }
  if (carry) yield [{ text: carry.toString('utf8'), line, offset }];
}

/** The tokenizer, the array streamer and the depth bookkeeping that locates elements. */
class ArrayTokenizer {
  private readonly tokenize = jsonParser({ streamValues: false }) as unknown as (input: string | symbol) => Outputs<Token>;
  private readonly stream = streamArray() as unknown as (token: Token | symbol) => Outputs<{ key: number; value: unknown }>;
  private depth = 0;
  /** Where each started but not yet finished element begins. */
  readonly starts: { line: number; offset: number }[] = [];
  private lastStart = { line: 0, offset: -1 };

  feed(input: string | symbol, at: Line | undefined, out: ParsedItem[]): void {
    for (const token of valuesOf(this.tokenize(input))) {
      if (this.depth === 1 && at && valueStart.has(token.name)) {
        // Several elements on one line (a minified array) share its start offset; a rising
        // offset keeps origins distinct and ordered for resume.
        const offset = at.line === this.lastStart.line ? this.lastStart.offset + 1 : at.offset;
        this.lastStart = { line: at.line, offset };
        this.starts.push(this.lastStart);
      }
      if (token.name === 'startObject' || token.name === 'startArray') this.depth++;
      else if (token.name === 'endObject' || token.name === 'endArray') this.depth--;
      for (const item of valuesOf(this.stream(token))) {
        const start = this.starts.shift() ?? { line: at?.line ?? 0, offset: at?.offset ?? 0 };
        out.push({ line: start.line, offset: start.offset, value: item.value });
      }
    }
  }
}

/** Reads a JSON array export; `startOffset` is where the first chunk begins (after a BOM). */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, startOffset: number): AsyncGenerator<ParsedItem[]> {
  let tokenizer = new ArrayTokenizer();
  let resyncing = false;
  let last: Line | undefined;
  for await (const lines of linesOf(chunks, startOffset)) {
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
    const start = tokenizer.starts[0] ?? last ?? { line: 1, offset: startOffset };
    out.push({ line: start.line, offset: start.offset, error: `${(error as Error).message} (at end of input)`, excerpt: excerptOf(last?.text.trim() ?? '') });
  }
  if (out.length > 0) yield out;
}
