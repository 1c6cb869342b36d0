// The bulk-export CSV, parsed by csv-parse as a stream. The first row names the columns (after
// `fields` aliases); a row csv-parse refuses, or one holding bytes that are not UTF-8, becomes a
// located error item and reading continues. csv-parse decodes as Latin-1, one character per byte
// (its byte mode breaks on its own error path), so each row's bytes are known exactly: a row is
// checked as UTF-8 and only then decoded; decoded by csv-parse, bad bytes would be U+FFFD silently.

import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { rowToObject } from './csv-cells.js';
import { excerptOf, type ParsedItem, type TextInput } from './parsed-item.js';
import { firstInvalidUtf8, isUtf8 } from './utf8-check.js';

interface CsvInfo {
  bytes: number;
  lines: number;
}

interface CsvSkipError extends Error {
  lines?: number;
  raw?: string;
  record?: string[];
}

/** A character that is not ASCII: the row's Latin-1 text is then re-read as UTF-8. */
const beyondAscii = /[\u0080-\u00ff]/;

const batchSize = 500;

function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count++;
  return count;
}

/** Latin-1 text (one character per byte) back as the UTF-8 text its bytes hold. */
function utf8Of(latin1: string): string {
  return beyondAscii.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/** Column names repeated in the header row (the last column of a name wins, as for JSON keys). */
function repeatedColumns(names: readonly string[]): string[] | undefined {
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  return repeated.length > 0 ? [...new Set(repeated)] : undefined;
}

/**
 * The reason for a row csv-parse refused: one per kind of problem, so the report counts them by
 * kind. csv-parse's messages name the line (the origin does that) and may quote a cell's value
 * (which may be personal data), so they are not used as they are.
 */
const CSV_REASONS: { [code: string]: string } = {
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the row does not have as many cells as the header',
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted cell is not doubled ("")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quote inside a quoted cell is not doubled ("")',
  INVALID_OPENING_QUOTE: 'a quote inside a cell that is not quoted',
  CSV_INVALID_OPENING_QUOTE: 'a quote inside a cell that is not quoted',
};

export function csvReason(error: Error & { code?: string }): string {
  const known = error.code === undefined ? undefined : CSV_REASONS[error.code];
  if (known) return known;
  return utf8Of(error.message)
    .replace(/,? value is ".*"$/s, '')
    .replace(/ (?:at|on) line \d+/g, '');
}

/** Reads CSV; `rename` maps an exported column name to the canonical one. */
export async function* readCsv(input: TextInput, rename: ReadonlyMap<string, string>): AsyncGenerator<ParsedItem[]> {
  const parser = parse({ info: true, raw: true, encoding: 'latin1', skip_records_with_error: true, skip_empty_lines: true, relax_column_count: false });
  const skipped: ParsedItem[] = [];
  parser.on('skip', (error: CsvSkipError) => {
    const line = error.lines ?? 0;
    const raw = error.raw ?? error.record?.join(',') ?? '';
    // csv-parse reads ahead of the consumer: the bytes it has consumed end with the refused row.
    const consumed = (parser.info as unknown as CsvInfo).bytes;
    const offset = input.startOffset + Math.max(0, consumed - raw.length);
    skipped.push({ line, offset, error: csvReason(error), excerpt: excerptOf(utf8Of(raw).trim()) });
  });
  Readable.from(input.chunks).pipe(parser);

  let columns: string[][] | undefined;
  let duplicateKeys: string[] | undefined;
  let batch: ParsedItem[] = [];
  for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: CsvInfo }>) {
    if (skipped.length > 0) batch.push(...skipped.splice(0));
    const line = info.lines - countNewlines(record);
    const offset = input.startOffset + info.bytes - raw.length;
    const wide = beyondAscii.test(raw);
    if (wide) {
      const bytes = Buffer.from(raw, 'latin1');
      if (!isUtf8(bytes)) {
        const bad = firstInvalidUtf8(bytes);
        batch.push({ line, offset, error: input.undecodable(bytes[bad]), excerpt: excerptOf(bytes.toString('utf8').trim()), byteOffset: offset + bad });
        // An undecodable header leaves no column names: every row is then a profile without a user_id.
        columns ??= [];
        continue;
      }
    }
    const cells = wide ? record.map(utf8Of) : record;
    if (!columns) {
      const names = cells.map((name) => rename.get(name) ?? name);
      columns = names.map((name) => name.split('.'));
      duplicateKeys = repeatedColumns(names);
      continue;
    }
    const item: ParsedItem = { line, offset, value: rowToObject(columns, cells) };
    if (duplicateKeys) item.duplicateKeys = duplicateKeys;
    batch.push(item);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (skipped.length > 0) batch.push(...skipped.splice(0));
  if (batch.length > 0) yield batch;
}
