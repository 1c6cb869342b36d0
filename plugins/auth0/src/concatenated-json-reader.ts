// Concatenated JSON: values one after another, usually pretty-printed objects (zitadel-tools'
// example data, `jq .` output), sometimes several on a line. ValueSplitter cuts the stream into
// values, each located at its first line; JSON.parse parses each. A value that is malformed, not
// closed, or holds bytes that are not UTF-8 is a located error item, and reading goes on.

import { duplicateKeysOf } from './duplicate-keys.js';
import { excerptOf, type ParsedItem, type TextInput } from './parsed-item.js';
import { firstInvalidUtf8, isUtf8 } from './utf8-check.js';
import { type RawValue, ValueSplitter } from './value-splitter.js';

/** Values parsed per batch (as for NDJSON: few enough to die young). */
const maxBatch = 64;

/** JSON.parse's "at position N" as the line and column in the file. */
function locateParseError(message: string, text: string, firstLine: number): string {
  const match = / at position (\d+)/.exec(message);
  if (!match) return message;
  const position = Number(match[1]);
  let line = firstLine;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < position; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return message.replace(match[0], ` at line ${line} column ${position - lineStart + 1}`);
}

function parseValue(input: TextInput, raw: RawValue): ParsedItem {
  const { line, offset, bytes } = raw;
  const text = bytes.toString('utf8');
  if (raw.error) return { line, offset, error: raw.error, excerpt: excerptOf(text.trim()) };
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    return { line, offset, error: input.undecodable(bytes[bad]), excerpt: excerptOf(text), byteOffset: offset + bad };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, offset, error: locateParseError((error as Error).message, text, line), excerpt: excerptOf(text) };
  }
  const duplicateKeys = duplicateKeysOf(text, value, raw.keys);
  return duplicateKeys ? { line, offset, value, duplicateKeys } : { line, offset, value };
}

/** Parses the values in batches of at most `maxBatch`. */
function* batchesOf(input: TextInput, values: RawValue[]): Generator<ParsedItem[]> {
  for (let at = 0; at < values.length; at += maxBatch) yield values.slice(at, at + maxBatch).map((raw) => parseValue(input, raw));
}

/** Reads concatenated JSON values. */
export async function* readConcatenatedJson(input: TextInput): AsyncGenerator<ParsedItem[]> {
  const splitter = new ValueSplitter(input.startOffset);
  for await (const chunk of input.chunks) yield* batchesOf(input, splitter.feed(chunk));
  yield* batchesOf(input, splitter.end());
}

/**
 * Whether `head` (the start of a file whose first byte is `{`) is concatenated JSON rather than
 * NDJSON: its first line is not a whole value, but the first value ends, well-formed, on a later
 * line; or a second value starts on the line where the first ends.
 */
export function looksConcatenated(head: Buffer): boolean {
  const start = head.indexOf(0x7b);
  const firstLineEnd = head.indexOf(0x0a, start);
  const firstLine = head.toString('utf8', start, firstLineEnd === -1 ? head.length : firstLineEnd);
  try {
    JSON.parse(firstLine);
    return false;
  } catch {
    // Not NDJSON's first line: look at the values.
  }
  const [first, second] = new ValueSplitter().feed(head);
  if (!first || first.error) return false;
  const lastLine = first.line + (first.bytes.toString('latin1').split('\n').length - 1);
  if (lastLine > first.line) {
    try {
      JSON.parse(first.bytes.toString('utf8'));
      return true;
    } catch {
      return false;
    }
  }
  return second !== undefined && second.line === lastLine;
}
