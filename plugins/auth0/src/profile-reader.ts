// Opens the profile export in its container (sniffed or configured) and yields parsed items in
// batches, with `fields` aliases applied to keys.

import { type ExportFormat, type OpenedInput, openInput, sniffFormat } from './input-file.js';
import { readNdjson } from './ndjson-reader.js';
import type { ParsedItem } from './parsed-item.js';

export interface ProfileReadOptions {
  format: ExportFormat | 'auto';
  /** Canonical key → name in the export. */
  fields?: { [canonical: string]: string };
}

/** An export opened for one pass. */
export interface ProfileStream {
  input: OpenedInput;
  format: ExportFormat;
  batches: AsyncIterable<ParsedItem[]>;
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

/** Opens `path` and returns its parsed items; the caller closes `input`. */
export async function openProfiles(path: string, options: ProfileReadOptions): Promise<ProfileStream> {
  const input = await openInput(path);
  const format = options.format === 'auto' ? sniffFormat(input.firstByte) : options.format;
  const rename = new Map(Object.entries(options.fields ?? {}).map(([canonical, exported]) => [exported, canonical]));
  let batches: AsyncIterable<ParsedItem[]>;
  // The CSV and JSON-array readers (and their parsers) load only when such an export is read.
  if (format === 'csv') batches = (await import('./csv-reader.js')).readCsv(input.chunks, input.bomBytes, rename);
  else {
    batches = format === 'ndjson' ? readNdjson(input.chunks, input.bomBytes) : (await import('./json-array-reader.js')).readJsonArray(input.chunks, input.bomBytes);
    if (rename.size > 0) batches = renameKeys(batches, rename);
  }
  return { input, format, batches };
}
