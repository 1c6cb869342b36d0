// Newline-delimited JSON, split on bytes (no per-line string copies before JSON.parse) and
// yielded in batches of up to `maxBatch` lines, to keep per-record overhead low: a chunk holds a
// few hundred profiles, and parsing them all before the first one moves on would keep every one
// alive through a young-generation GC or two (copying them each time). CRLF, blank lines
// and a last line without newline are normal input; a line that fails JSON.parse, or holds bytes
// that are not UTF-8, becomes a located error item and reading continues. Every line is checked
// for duplicate keys, as duplicate-keys.ts explains.

import { duplicateKeysOf } from './duplicate-keys.js';
import { excerptOf, type ParsedItem, type TextInput } from './parsed-item.js';
import { firstInvalidUtf8, isUtf8 } from './utf8-check.js';

const newline = 0x0a;
const carriageReturn = 0x0d;

function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = buffer[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== carriageReturn) return false;
  }
  return true;
}

/** Parses one line; `checked` says its bytes are known to be UTF-8 already. */
function parseLine(
  input: TextInput,
  buffer: Buffer,
  start: number,
  end: number,
  line: number,
  offset: number,
  checked: boolean,
): ParsedItem | undefined {
  let last = end;
  if (last > start && buffer[last - 1] === carriageReturn) last--;
  if (last === start || (buffer[start] !== 0x7b && isBlank(buffer, start, last))) return undefined;
  const text = buffer.toString('utf8', start, last);
  if (!checked && !isUtf8(buffer.subarray(start, last))) {
    const bad = firstInvalidUtf8(buffer, start, last);
    return { line, offset, error: input.undecodable(buffer[bad]), excerpt: excerptOf(text), byteOffset: offset + bad - start };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, offset, error: (error as Error).message, excerpt: excerptOf(text) };
  }
  const duplicateKeys = duplicateKeysOf(text, value);
  return duplicateKeys ? { line, offset, value, duplicateKeys } : { line, offset, value };
}

/** Lines parsed per batch unless told otherwise. */
const DEFAULT_MAX_BATCH = 64;

/** Reads NDJSON. */
export async function* readNdjson(input: TextInput, maxBatch = DEFAULT_MAX_BATCH): AsyncGenerator<ParsedItem[]> {
  let carry: Buffer | undefined;
  let offset = input.startOffset;
  let line = 1;
  for await (const chunk of input.chunks) {
    let batch: ParsedItem[] = [];
    let start = 0;
    if (carry) {
      // Only the line that straddles two chunks is copied.
      const first = chunk.indexOf(newline);
      if (first === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, first)]);
      const item = parseLine(input, joined, 0, joined.length, line, offset, false);
      if (item) batch.push(item);
      offset += joined.length + 1;
      line++;
      start = first + 1;
      carry = undefined;
    }
    // One check for all the chunk's complete lines; only a chunk that fails it is checked line by line.
    const complete = chunk.lastIndexOf(newline) + 1;
    const valid = complete <= start || isUtf8(chunk.subarray(start, complete));
    let end = chunk.indexOf(newline, start);
    while (end !== -1) {
      const item = parseLine(input, chunk, start, end, line, offset, valid);
      if (item) batch.push(item);
      offset += end + 1 - start;
      line++;
      start = end + 1;
      end = chunk.indexOf(newline, start);
      if (batch.length >= maxBatch) {
        yield batch;
        batch = [];
      }
    }
    if (start < chunk.length) carry = chunk.subarray(start);
    if (batch.length > 0) yield batch;
  }
  if (carry) {
    const item = parseLine(input, carry, 0, carry.length, line, offset, false);
    if (item) yield [item];
  }
}
