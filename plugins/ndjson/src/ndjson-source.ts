// The `ndjson` source: one JSON value per line, plain or gzip (by magic bytes). BOM, CRLF, blank
// lines and a missing final newline are normal; a malformed line becomes a located rejection.

import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { definePlugin, FatalError, type Origin, type ReadOptions, type Source, type SourceItem, type PluginContext } from '@idflow/engine';
import { fingerprintFile } from './file-fingerprint.js';
import { isGzipFile } from './gzip-detect.js';
import { LineSplitter } from './line-splitter.js';

export interface NdjsonSourceConfig {
  path: string;
}

const CHUNK_BYTES = 256 * 1024;
/** Longer lines are rejected unread, so one corrupt line cannot exhaust memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const EXCERPT_CHARS = 200;

class NdjsonSource implements Source {
  private fileStream: ReadStream | undefined;
  private stream: Readable | undefined;
  private startByte = 0;

  /** `file` is the path as the user wrote it (shown in origins); `path` is resolved. */
  constructor(
    private readonly file: string,
    private readonly path: string,
    private size: number,
  ) {}

  async *read(options: ReadOptions): AsyncIterable<SourceItem> {
    const resumeAfter = options.resumeAfter;
    this.size = (await stat(this.path)).size;
    const gzip = await isGzipFile(this.path);
    // Plain files seek straight to the last acknowledged record; gzip has to be decompressed from the start.
    this.startByte = resumeAfter && !gzip ? resumeAfter.offset : 0;
    const fileStream = createReadStream(this.path, { start: this.startByte, highWaterMark: CHUNK_BYTES });
    this.fileStream = fileStream;
    const stream: Readable = gzip ? pipeline(fileStream, createGunzip({ chunkSize: CHUNK_BYTES }), () => undefined) : fileStream;
    this.stream = stream;

    const skipThrough = resumeAfter ? resumeAfter.offset : -1;
    const file = this.file;
    const ready: SourceItem[] = [];
    const splitter = new LineSplitter(
      this.startByte,
      resumeAfter && !gzip ? resumeAfter.line - 1 : 0,
      MAX_LINE_BYTES,
      (buf, start, end, line, offset) => {
        if (offset <= skipThrough) return;
        if (offset === 0 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
        if (start === end) return;
        const text = buf.toString('utf8', start, end);
        const first = buf[start];
        // Only a line starting with whitespace can be blank: the common case costs no trim().
        if ((first === 32 || first === 9 || first === 13) && text.trim() === '') return;
        const origin: Origin = { file, line, offset };
        try {
          ready.push({ origin, data: JSON.parse(text) as unknown });
        } catch (error) {
          ready.push({ origin, reject: { reason: `malformed JSON: ${(error as Error).message}`, raw: excerpt(text) } });
        }
      },
      (line, offset, head) => {
        if (offset <= skipThrough) return;
        ready.push({
          origin: { file, line, offset },
          reject: { reason: `line longer than ${MAX_LINE_BYTES} bytes`, raw: excerpt(head.toString('utf8')) },
        });
      },
    );

    try {
      for await (const chunk of stream) {
        splitter.feed(chunk as Buffer);
        for (let i = 0; i < ready.length; i++) yield ready[i];
        ready.length = 0;
      }
      splitter.end();
      for (let i = 0; i < ready.length; i++) yield ready[i];
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`);
    } finally {
      this.release();
    }
  }

  fingerprint(): Promise<string> {
    return fingerprintFile(this.path);
  }

  progress(): { done: number; total: number } {
    return { done: this.startByte + (this.fileStream?.bytesRead ?? 0), total: this.size };
  }

  async close(): Promise<void> {
    this.release();
  }

  private release(): void {
    this.stream?.destroy();
    this.fileStream?.destroy();
  }
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** Reads newline-delimited JSON from a file (gzip detected by content). */
export const ndjsonSource = definePlugin({
  name: 'ndjson',
  kind: 'source',
  description: 'Reads newline-delimited JSON (one record per line) from a file; gzip is detected by content.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        'x-idflow': 'input-path',
        description: 'File to read, relative to the pipeline file. Plain or gzip-compressed (detected by its first bytes, whatever the name).',
      },
    },
  },
  async create(config: NdjsonSourceConfig, ctx: PluginContext): Promise<Source> {
    const path = resolve(ctx.baseDir, config.path);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      size = info.size;
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new FatalError(`cannot read ${config.path} (${path}): ${why}`, 'INPUT_UNREADABLE');
    }
    return new NdjsonSource(config.path, path, size);
  },
});
