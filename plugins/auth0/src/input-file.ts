// Opens an export file as a stream of decompressed byte chunks: gzip is detected by its magic
// bytes (never by the file name), a UTF-8 BOM is dropped, and the bytes read so far are counted
// for the progress bar (compressed bytes for gzip input).

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

export type ExportFormat = 'ndjson' | 'json-array' | 'csv';

/** An export file opened for one sequential read. */
export interface OpenedInput {
  /** Decompressed chunks after the BOM. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the BOM that were dropped (the first record's offset starts after them). */
  bomBytes: number;
  /** First non-whitespace byte, for format sniffing; undefined for an empty file. */
  firstByte: number | undefined;
  gzip: boolean;
  /** Raw bytes read from disk so far and the file size. */
  progress(): { done: number; total: number };
  close(): void;
}

const chunkBytes = 1 << 18;

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Opens `path`; reads ahead just enough to drop a BOM and find the first meaningful byte. */
export async function openInput(path: string): Promise<OpenedInput> {
  const total = (await stat(path)).size;
  const gzip = await startsWithGzipMagic(path);
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  let done = 0;
  file.on('data', (chunk) => {
    done += chunk.length;
  });
  const decompressed = gzip ? file.pipe(createGunzip({ chunkSize: chunkBytes })) : file;
  if (gzip) file.on('error', (error) => decompressed.destroy(error));
  const iterator = decompressed[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  // Read ahead until the BOM question and the first non-whitespace byte are settled.
  const head: Buffer[] = [];
  let headBytes = 0;
  let firstByte: number | undefined;
  let ended = false;
  while (firstByte === undefined && !ended) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
    if (headBytes < 3) continue;
    const joined = Buffer.concat(head);
    const start = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? 3 : 0;
    for (let i = start; i < joined.length; i++) {
      if (!isWhitespace(joined[i])) {
        firstByte = joined[i];
        break;
      }
    }
  }
  let first = Buffer.concat(head);
  const bomBytes = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
  first = first.subarray(bomBytes);
  if (firstByte === undefined) for (const byte of first) if (!isWhitespace(byte)) { firstByte = byte; break; }

  async function* chunks(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }

  return {
    chunks: chunks(),
    bomBytes,
    firstByte,
    gzip,
    progress: () => ({ done, total }),
    close: () => {
      file.destroy();
      if (decompressed !== file) decompressed.destroy();
    },
  };
}

/** `auto` format from the first meaningful byte: `[` array, `{` NDJSON, anything else CSV. */
export function sniffFormat(firstByte: number | undefined): ExportFormat {
  if (firstByte === 0x5b) return 'json-array';
  if (firstByte === 0x7b) return 'ndjson';
  return 'csv';
}
