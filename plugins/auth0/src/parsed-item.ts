// What a container reader (NDJSON, concatenated JSON, JSON array, CSV) reads and what it hands to
// the source: a parsed value, or the reason why a line/row/element could not be read, with where
// it starts.

/** UTF-8 text to read: an opened export (input-file.ts) or, in tests, chunks in memory. */
export interface TextInput {
  /** UTF-8 chunks in order (undecodable bytes are left in, for the reader to reject their record). */
  chunks: AsyncIterable<Buffer>;
  /** Offset of the first chunk's first byte in the decompressed input (after a BOM). */
  startOffset: number;
  /** Why a record holding an undecodable byte (`byte`) is rejected. */
  undecodable(byte: number): string;
}

export interface ParsedItem {
  /** 1-based line where the record starts. */
  line: number;
  /** Byte offset of the record's first byte in the decompressed input. */
  offset: number;
  value?: unknown;
  /** Set when the record is malformed: the parser's reason. */
  error?: string;
  /** A short excerpt of the malformed input. */
  excerpt?: string;
  /** When the record holds bytes that are not valid text: the first one's offset in the input. */
  byteOffset?: number;
  /** Keys that occur more than once in one object of the record (dotted paths); JSON.parse kept the last value. */
  duplicateKeys?: string[];
}

const excerptLength = 120;

/** The first characters of a malformed record, for the dead-letter line. */
export function excerptOf(text: string): string {
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
}
