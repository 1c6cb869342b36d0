// The text encoding of an export, and its transcoding to UTF-8 for the readers. Exports are
// UTF-8, but files pass through other tools: Windows editors and PowerShell save UTF-16 with a
// byte-order mark, Excel saves CSV as Windows-1252. The BOM decides when there is one; else the
// file is UTF-8 (checked strictly by the readers) unless the pipeline names another encoding.
//
// Every reader works on UTF-8 bytes, so other encodings are transcoded chunk by chunk. Record
// offsets then count bytes of the UTF-8 text (they order records for resume; the file:line that
// users see is unchanged).

export const textEncodings = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;
export type TextEncodingOption = (typeof textEncodings)[number];
export type TextEncoding = Exclude<TextEncodingOption, 'auto'>;

const boms: [TextEncoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte);
}

function isAsciiText(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** The encoding of a file from its first bytes (at least 4 when the file has them), and its BOM's length. */
export function detectEncoding(head: Uint8Array, option: TextEncodingOption = 'auto'): { encoding: TextEncoding; bomBytes: number } {
  if (option !== 'auto') {
    // A BOM of the named encoding is dropped; anything else is taken as text in that encoding.
    const bom = boms.find(([encoding]) => encoding === option)?.[1];
    return { encoding: option, bomBytes: bom && startsWith(head, bom) ? bom.length : 0 };
  }
  for (const [encoding, bom] of boms) if (startsWith(head, bom)) return { encoding, bomBytes: bom.length };
  // UTF-16 without a BOM: an export starts with ASCII (`{`, `[`, a CSV header), so every other byte is 0.
  if (head.length >= 4) {
    if (head[1] === 0 && head[3] === 0 && isAsciiText(head[0]) && isAsciiText(head[2])) return { encoding: 'utf-16le', bomBytes: 0 };
    if (head[0] === 0 && head[2] === 0 && isAsciiText(head[1]) && isAsciiText(head[3])) return { encoding: 'utf-16be', bomBytes: 0 };
  }
  return { encoding: 'utf-8', bomBytes: 0 };
}

/** An unpaired UTF-16 surrogate, which has no UTF-8 form. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Stands for text that could not be decoded: 0xFF never occurs in UTF-8, so the readers reject the record holding it. */
const undecodable = Buffer.from([0xff]);

/** UTF-8 bytes of UTF-16 text; an unpaired surrogate becomes an undecodable byte (Buffer.from would make it U+FFFD silently). */
function utf8Of(text: string): Buffer {
  loneSurrogate.lastIndex = 0;
  if (!loneSurrogate.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  loneSurrogate.lastIndex = 0;
  for (let match = loneSurrogate.exec(text); match; match = loneSurrogate.exec(text)) {
    parts.push(Buffer.from(text.slice(from, match.index), 'utf8'), undecodable);
    from = match.index + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** UTF-16 chunks as UTF-8; an odd byte or a high surrogate at a chunk's end waits for the next chunk. */
async function* utf16ToUtf8(chunks: AsyncIterable<Buffer>, bigEndian: boolean): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const incoming of chunks) {
    const chunk = carry ? Buffer.concat([carry, incoming]) : incoming;
    carry = undefined;
    let usable = chunk.length & ~1;
    if (usable >= 2) {
      const last = bigEndian ? chunk.readUInt16BE(usable - 2) : chunk.readUInt16LE(usable - 2);
      if (isHighSurrogate(last)) usable -= 2;
    }
    if (usable < chunk.length) carry = Buffer.from(chunk.subarray(usable));
    if (usable === 0) continue;
    // swap16 works in place: big-endian input is swapped in a copy.
    const units = bigEndian ? Buffer.from(chunk.subarray(0, usable)).swap16() : chunk.subarray(0, usable);
    yield utf8Of(units.toString('utf16le'));
  }
  if (!carry) return;
  const whole = carry.length & ~1;
  const units = bigEndian ? Buffer.from(carry.subarray(0, whole)).swap16() : carry.subarray(0, whole);
  const tail = utf8Of(units.toString('utf16le'));
  yield whole < carry.length ? Buffer.concat([tail, undecodable]) : tail;
}

/**
 * Windows-1252 bytes 0x80–0x9F (the WHATWG index); the rest is Latin-1. Written out because Node
 * 20's TextDecoder('windows-1252') decodes these as Latin-1's control characters.
 */
const windows1252High = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Single-byte encodings: every byte is a character, so chunks need no carry. */
async function* singleByteToUtf8(chunks: AsyncIterable<Buffer>, decode: (chunk: Buffer) => string): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(decode(chunk), 'utf8');
}

/** The chunks as UTF-8 (UTF-8 input passes through untouched, to be checked by the readers). */
export function toUtf8(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncIterable<Buffer> {
  switch (encoding) {
    case 'utf-8':
      return chunks;
    case 'utf-16le':
    case 'utf-16be':
      return utf16ToUtf8(chunks, encoding === 'utf-16be');
    case 'latin1':
      return singleByteToUtf8(chunks, (chunk) => chunk.toString('latin1'));
    case 'windows-1252':
      return singleByteToUtf8(chunks, (chunk) => chunk.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => windows1252High[c.charCodeAt(0) - 0x80]));
  }
}

/**
 * Why a record holding undecodable bytes is rejected (`byte`: the first one). The same for every
 * record with the same byte, so that rejections group by reason; where it is goes in the detail.
 */
export function undecodableReason(encoding: TextEncoding, byte: number): string {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return `invalid ${encoding.toUpperCase()}: an unpaired surrogate or a cut last character`;
  return `invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}; a Latin-1 or Windows-1252 file needs its encoding set)`;
}
