// What protobuf's JSON decoder refuses inside strings, which the gateway answers with 400 / code 3
// before anything else (runtime.JSONPb → protojson.Unmarshal; google.golang.org/protobuf
// internal/encoding/json decode_string.go parseString): a `\uD800`–`\uDFFF` escape that is not a
// high surrogate followed by a low one, and bytes that are not UTF-8. The error names the
// position of the string's opening quote (Decoder.currPos, Position: line and rune column).

import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** Cheap pre-checks: most bodies hold neither a surrogate escape nor invalid UTF-8. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

function hexAt(body: Buffer, at: number): number {
  const text = body.toString('latin1', at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(text) ? Number.parseInt(text, 16) : -1;
}

/** The length of the UTF-8 sequence at `at`, or 0 when it is not valid UTF-8. */
function utf8SequenceLength(body: Buffer, at: number): number {
  const lead = body[at];
  const [length, min] = lead >= 0xf0 && lead <= 0xf4 ? [4, 0x10000] : lead >= 0xe0 ? [3, 0x800] : lead >= 0xc2 && lead < 0xe0 ? [2, 0x80] : [0, 0];
  if (length === 0 || at + length > body.length) return 0;
  let code = lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) {
    if ((body[at + i] & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (body[at + i] & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

/** `line:column` of byte `at`, as protojson's Decoder.Position counts (runes, from 1). */
function position(body: Buffer, at: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (body[i] === NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${[...body.toString('utf8', lineStart, at)].length + 1}`;
}

/** Go's %q of the bytes (close enough: JSON quoting). */
const quoted = (body: Buffer, from: number, to: number) => JSON.stringify(body.toString('utf8', from, Math.min(to, body.length)));

/**
 * The protojson error for the first string that protobuf's decoder refuses, or undefined.
 * `body` is the request body (leading whitespace included: it is skipped like json.Decoder does).
 */
export function protojsonStringError(body: Buffer, text: string): string | undefined {
  const surrogates = SURROGATE_ESCAPE.test(text);
  if (!surrogates && isUtf8(body)) return undefined;
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x09 || body[start] === NEWLINE || body[start] === 0x0d)) start++;
  const value = body.subarray(start);
  let stringStart = -1;
  for (let i = 0; i < value.length; i++) {
    const byte = value[i];
    if (stringStart < 0) {
      if (byte === QUOTE) stringStart = i;
      continue;
    }
    const error = (message: string) => `proto: syntax error (line ${position(value, stringStart)}): ${message}`;
    if (byte === QUOTE) stringStart = -1;
    else if (byte === BACKSLASH) {
      if (value[i + 1] !== 0x75 /* u */) {
        i++;
        continue;
      }
      const code = hexAt(value, i + 2);
      i += 5;
      if (code < 0xd800 || code > 0xdfff) continue;
      // A surrogate must be followed by `\uXXXX` decoding with it to one rune (utf16.DecodeRune).
      const next = i + 1;
      if (next + 6 > value.length) return 'proto: unexpected EOF';
      const low = value[next] === BACKSLASH && value[next + 1] === 0x75 ? hexAt(value, next + 2) : -1;
      if (code > 0xdbff || low < 0xdc00 || low > 0xdfff) return error(`invalid escape code ${quoted(value, next, next + 6)} in string`);
      i = next + 5;
    } else if (byte >= 0x80) {
      const length = utf8SequenceLength(value, i);
      if (length === 0) return error('invalid UTF-8 in string');
      i += length - 1;
    }
  }
  return undefined;
}
