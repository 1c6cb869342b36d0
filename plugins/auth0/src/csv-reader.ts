// The bulk-export CSV, parsed by csv-parse as a stream. The first row names the columns (after
// `fields` aliases); a row csv-parse refuses becomes a located error item and reading continues.

import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { rowToObject } from './csv-cells.js';
import { type ParsedItem, excerptOf } from './parsed-item.js';

interface CsvInfo {
  bytes: number;
  lines: number;
}

interface CsvSkipError extends Error {
  lines?: number;
  raw?: string;
  record?: string[];
}

const batchSize = 500;

function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count++;
  return count;
}

/** Reads CSV chunks; `rename` maps an exported column name to the canonical one. */
export async function* readCsv(chunks: AsyncIterable<Buffer>, startOffset: number, rename: ReadonlyMap<string, string>): AsyncGenerator<ParsedItem[]> {
  const parser = parse({ info: true, raw: true, skip_records_with_error: true, skip_empty_lines: true, relax_column_count: false });
  const skipped: ParsedItem[] = [];
  parser.on('skip', (error: CsvSkipError) => {
    const line = error.lines ?? 0;
    const raw = error.raw ?? error.record?.join(',') ?? '';
    // csv-parse reads ahead of the consumer: the bytes it has consumed end with the refused row.
    const consumed = (parser.info as unknown as CsvInfo).bytes;
    const offset = startOffset + Math.max(0, consumed - Buffer.byteLength(raw));
    skipped.push({ line, offset, error: error.message, excerpt: excerptOf(raw.trim()) });
  });
  Readable.from(chunks).pipe(parser);

  let columns: string[][] | undefined;
  let batch: ParsedItem[] = [];
  for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: CsvInfo }>) {
    if (skipped.length > 0) batch.push(...skipped.splice(0));
    const line = info.lines - countNewlines(record);
    const offset = startOffset + info.bytes - Buffer.byteLength(raw);
    if (!columns) {
      columns = record.map((name) => (rename.get(name) ?? name).split('.'));
      continue;
    }
    batch.push({ line, offset, value: rowToObject(columns, record) });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (skipped.length > 0) batch.push(...skipped.splice(0));
  if (batch.length > 0) yield batch;
}
