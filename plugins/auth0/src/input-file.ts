// Opens an export file as a stream of decompressed UTF-8 chunks: gzip is detected by its magic
// bytes (never by the file name), the text encoding by its BOM (text-decoding.ts: UTF-16 and
// single-byte encodings are transcoded), the BOM is dropped, and the bytes read so far are
// counted for the progress bar (compressed bytes for gzip input).
//
// A plain file is read with its next chunks already requested while the current one is parsed:
// a read stream asks for the next chunk only once the current one is taken, and waiting for
// those reads was ~0.5 s of a 100,000-user conversion (1.5 ms a chunk on a busy thread pool).

import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { TextInput } from './parsed-item.js';
import { detectEncoding, type TextEncoding, type TextEncodingOption, toUtf8, undecodableReason } from './text-decoding.js';

/** An export file opened for one sequential read. */
export interface OpenedInput extends TextInput {
  /** The first decompressed UTF-8 bytes after the BOM (at least `sniffBytes` unless the file is shorter), for format sniffing. */
  head: Buffer;
  /** First non-whitespace byte; undefined for an empty (or all-blank) file. */
  firstByte: number | undefined;
  encoding: TextEncoding;
  gzip: boolean;
  /** Raw bytes read from disk so far and the file size. */
  progress(): { done: number; total: number };
  /** Bytes of UTF-8 text handed to the reader so far (the BOM included): origins' offsets count in these. */
  decodedBytes(): number;
  close(): void;
}

const chunkBytes = 1 << 18;
/** Bytes read ahead for sniffing the container (enough for several pretty-printed records). */
const sniffBytes = 64 * 1024;
/** Reads of a plain file requested ahead of the one being parsed. */
const readsInFlight = 3;

/** Reads `length` bytes at `position`, fewer only at the end of the file. */
async function readFull(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The chunks of a plain file in order, `readsInFlight` reads in flight; counts bytes as they are taken. */
async function* plainChunks(handle: FileHandle, onChunk: (bytes: number) => void): AsyncGenerator<Buffer> {
  let position = 0;
  const inFlight: Promise<Buffer>[] = [];
  const request = () => {
    const read = readFull(handle, position, chunkBytes);
    // Reads still in flight when reading stops early (close) must not become unhandled rejections.
    read.catch(() => {});
    inFlight.push(read);
    position += chunkBytes;
  };
  for (let i = 0; i < readsInFlight; i++) request();
  for (;;) {
    const chunk = await inFlight.shift()!;
    if (chunk.length === 0) return;
    request();
    onChunk(chunk.length);
    yield chunk;
    // A short chunk is the end of the file (at least as it was when read).
    if (chunk.length < chunkBytes) return;
  }
}

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

/** Takes chunks from `iterator` until `enough(head)` or the end; answers them and whether the end came. */
async function readAhead(iterator: AsyncIterator<Buffer>, enough: (head: Buffer) => boolean): Promise<{ head: Buffer; ended: boolean }> {
  let head: Buffer = Buffer.alloc(0);
  while (!enough(head)) {
    const next = await iterator.next();
    if (next.done) return { head, ended: true };
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  return { head, ended: false };
}

/** The read-ahead `head`, then the rest of `iterator` (unless it already ended). */
async function* resumed(head: Buffer, ended: boolean, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (ended) return;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function firstNonWhitespace(bytes: Buffer): number | undefined {
  for (const byte of bytes) if (!isWhitespace(byte)) return byte;
  return undefined;
}

/** Opens `path`; reads ahead just enough to settle the encoding, drop a BOM and sniff the container. */
export async function openInput(path: string, options: { encoding?: TextEncodingOption } = {}): Promise<OpenedInput> {
  const total = (await stat(path)).size;
  const gzip = await startsWithGzipMagic(path);
  let done = 0;
  let release: () => void;
  let raw: AsyncIterator<Buffer>;
  if (gzip) {
    const file = createReadStream(path, { highWaterMark: chunkBytes });
    file.on('data', (chunk) => {
      done += chunk.length;
    });
    const decompressed = file.pipe(createGunzip({ chunkSize: chunkBytes }));
    file.on('error', (error) => decompressed.destroy(error));
    raw = decompressed[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    release = () => {
      file.destroy();
      decompressed.destroy();
    };
  } else {
    const handle = await open(path, 'r');
    let closed = false;
    raw = plainChunks(handle, (bytes) => {
      done += bytes;
    });
    release = () => {
      if (closed) return;
      closed = true;
      void raw.return?.();
      handle.close().catch(() => {});
    };
  }

  // Four bytes settle the BOM (and UTF-16 without one); the rest is decoded from there.
  const rawHead = await readAhead(raw, (head) => head.length >= 4);
  const { encoding, bomBytes } = detectEncoding(rawHead.head, options.encoding);
  const text = toUtf8(resumed(rawHead.head.subarray(bomBytes), rawHead.ended, raw), encoding)[Symbol.asyncIterator]();
  const { head, ended } = await readAhead(text, (bytes) => bytes.length >= sniffBytes && firstNonWhitespace(bytes) !== undefined);

  let decoded = bomBytes;
  async function* counted(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      decoded += chunk.length;
      yield chunk;
    }
  }
  return {
    chunks: counted(resumed(head, ended, text)),
    startOffset: bomBytes,
    head,
    firstByte: firstNonWhitespace(head),
    encoding,
    gzip,
    undecodable: (byte) => undecodableReason(encoding, byte),
    progress: () => ({ done, total }),
    decodedBytes: () => decoded,
    close: () => release(),
  };
}
