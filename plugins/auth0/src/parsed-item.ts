// What a container reader (NDJSON, JSON array, CSV) hands to the source: a parsed value, or the
// parser's reason why a line/row/element could not be read, with where it starts.

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
}

const excerptLength = 120;

/** The first characters of a malformed record, for the dead-letter line. */
export function excerptOf(text: string): string {
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
}
