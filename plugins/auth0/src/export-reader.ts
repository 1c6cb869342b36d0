// Opens an export in its container (sniffed from the content, or as configured) and yields parsed
// items in batches: the profile export (NDJSON, concatenated JSON, JSON array or CSV, with
// `fields` aliases applied to keys) and the password export (the same JSON containers).

import { looksConcatenated } from './concatenated-json-reader.js';
import { type OpenedInput, openInput } from './input-file.js';
import { readNdjson } from './ndjson-reader.js';
import type { ParsedItem } from './parsed-item.js';
import type { TextEncodingOption } from './text-decoding.js';

export const exportFormats = ['ndjson', 'concatenated-json', 'json-array', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportReadOptions {
  format: ExportFormat | 'auto';
  encoding?: TextEncodingOption;
  /** Canonical key → name in the export. */
  fields?: { [canonical: string]: string };
}

/** An export opened for one pass. */
export interface ExportStream {
  input: OpenedInput;
  format: ExportFormat;
  batches: AsyncIterable<ParsedItem[]>;
}

/**
 * `auto` format from the content: `[` JSON array; `{` NDJSON, or concatenated JSON when the first
 * value spans lines (or shares one with the next); anything else CSV.
 */
export function sniffFormat(input: Pick<OpenedInput, 'firstByte' | 'head'>): ExportFormat {
  if (input.firstByte === 0x5b) return 'json-array';
  if (input.firstByte === 0x7b) return looksConcatenated(input.head) ? 'concatenated-json' : 'ndjson';
  return 'csv';
}

function renameKeys(batches: AsyncIterable<ParsedItem[]>, rename: ReadonlyMap<string, string>): AsyncIterable<ParsedItem[]> {
  return (async function* () {
    for await (const batch of batches) {
      for (const item of batch) {
        const value = item.value;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
        const record = value as { [key: string]: unknown };
        for (const [exported, canonical] of rename) {
          if (!(exported in record)) continue;
          record[canonical] = record[exported];
          delete record[exported];
        }
      }
      yield batch;
    }
  })();
}

/** The reader for a container; the others load only when such an export is read. */
async function readerFor(format: ExportFormat, input: OpenedInput, rename: ReadonlyMap<string, string>): Promise<AsyncIterable<ParsedItem[]>> {
  switch (format) {
    case 'ndjson':
      return readNdjson(input);
    case 'concatenated-json':
      return (await import('./concatenated-json-reader.js')).readConcatenatedJson(input);
    case 'json-array':
      return (await import('./json-array-reader.js')).readJsonArray(input);
    case 'csv':
      return (await import('./csv-reader.js')).readCsv(input, rename);
  }
}

/** Opens the profile export; the caller closes `input`. */
export async function openProfiles(path: string, options: ExportReadOptions): Promise<ExportStream> {
  const input = await openInput(path, { encoding: options.encoding });
  const format = options.format === 'auto' ? sniffFormat(input) : options.format;
  const rename = new Map(Object.entries(options.fields ?? {}).map(([canonical, exported]) => [exported, canonical]));
  let batches = await readerFor(format, input, rename);
  if (format !== 'csv' && rename.size > 0) batches = renameKeys(batches, rename);
  return { input, format, batches };
}

/**
 * Opens the password export: one of the JSON containers, sniffed. Anything that is not JSON (an
 * encrypted or binary file) is read as NDJSON, so each of its lines is a located rejection.
 */
export async function openPasswords(path: string, options: { encoding?: TextEncodingOption }): Promise<ExportStream> {
  const input = await openInput(path, { encoding: options.encoding });
  const sniffed = sniffFormat(input);
  const format = sniffed === 'csv' ? 'ndjson' : sniffed;
  return { input, format, batches: await readerFor(format, input, new Map()) };
}
