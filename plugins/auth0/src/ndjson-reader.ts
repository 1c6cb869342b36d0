// Newline-delimited JSON, split on bytes (no per-line string copies before JSON.parse) and
// yielded in batches of up to `maxBatch` lines, to keep per-record overhead low: a chunk holds a
// few hundred profiles, and parsing them all before the first one moves on would keep every one
// alive through a young-generation GC or two (copying them each time). CRLF, blank lines
// and a last line without newline are normal input; a line that fails JSON.parse becomes a
// located error item and reading continues.

import { type ParsedItem, excerptOf } from './parsed-item.js';

const newline = 0x0a;
const carriageReturn = 0x0d;

function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = buffer[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== carriageReturn) return false;
  }
  return true;
}

function parseLine(buffer: Buffer, start: number, end: number, line: number, offset: number): ParsedItem | undefined {
  let last = end;
  if (last > start && buffer[last - 1] === carriageReturn) last--;
  if (last === start || (buffer[start] !== 0x7b && isBlank(buffer, start, last))) return undefined;
  const text = buffer.toString('utf8', start, last);
  try {
    return { line, offset, value: JSON.parse(text) };
  } catch (error) {
    return { line, offset, error: (error as Error).message, excerpt: excerptOf(text) };
  }
}

/** Lines parsed per batch unless told otherwise. */
const DEFAULT_MAX_BATCH = 64;

/** Reads NDJSON chunks; `startOffset` is where the first chunk begins (after a BOM). */
export async function* readNdjson(chunks: AsyncIterable<Buffer>, startOffset: number, maxBatch = DEFAULT_MAX_BATCH): AsyncGenerator<ParsedItem[]> {
  let carry: Buffer | undefined;
  let offset = startOffset;
  let line = 1;
  for await (const chunk of chunks) {
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
      const item = parseLine(joined, 0, joined.length, line, offset);
      if (item) batch.push(item);
      offset += joined.length + 1;
      line++;
      start = first + 1;
      carry = undefined;
    }
    let end = chunk.indexOf(newline, start);
    while (end !== -1) {
      const item = parseLine(chunk, start, end, line, offset);
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
    const item = parseLine(carry, 0, carry.length, line, offset);
    if (item) yield [item];
  }
}
