// The dead-letter output: one NDJSON line per refused record, with the stage, the reason, where the
// record came from and the record itself. Lines are written synchronously so a record counts as
// acknowledged the moment its line is handed to the OS; `sync()` makes them durable before a
// checkpoint names the file's length. Mode 0600: records carry password hashes.

import { closeSync, fchmodSync, fstatSync, fsync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { FatalError } from '../errors.js';
import type { Origin } from '../plugin.js';

const fsyncAsync = promisify(fsync);

/** One dead-letter line, as written. */
export interface DeadLetter {
  /** `source`, `transform:<name>` or `sink:<name>`. */
  stage: string;
  reason: string;
  /** `file:line`. */
  origin: string;
  offset: number;
  /** The original record, or the raw text excerpt for lines that could not be parsed. */
  record: unknown;
  detail?: { [key: string]: unknown };
}

export class DeadLetterWriter {
  private fd: number | undefined;
  private length = 0;
  private written = 0;

  /** `path` undefined: rejections are counted and reported as events, but not saved. */
  constructor(readonly path: string | undefined) {}

  /** Creates the file (always, so an empty file means "nothing refused"); keeps `keepBytes` of it on resume. */
  open(keepBytes: number | undefined): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a', 0o600);
    try {
      const stat = fstatSync(fd);
      // A device or a pipe can be neither made private nor cut back to the checkpoint's length.
      if (!stat.isFile()) throw new FatalError(`dead-letter path ${this.path} is not a regular file; point dlq.path at a file`, 'DLQ_NOT_A_FILE');
      fchmodSync(fd, 0o600);
      const size = stat.size;
      if (keepBytes !== undefined && size < keepBytes) {
        throw new FatalError(
          `dead-letter file ${this.path} is shorter (${size} bytes) than the checkpoint says (${keepBytes}); it was changed since the last run — run with --fresh to start over`,
          'DLQ_CHANGED',
        );
      }
      ftruncateSync(fd, keepBytes ?? 0);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
    this.length = keepBytes ?? 0;
  }

  /** Appends one line; returns once the OS has it (durable at the next `sync`). */
  write(letter: DeadLetter): void {
    this.written += 1;
    if (this.fd === undefined) return;
    const bytes = Buffer.from(`${serialize(letter)}\n`, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FatalError(`cannot write the dead-letter file ${this.path}: ${code === 'ENOSPC' ? 'no space left on device' : (error as Error).message}`, 'DLQ_WRITE');
    }
    this.length += bytes.length;
  }

  /** Bytes written so far: read synchronously together with the acknowledgement snapshot. */
  get bytes(): number {
    return this.length;
  }

  /** Lines written by this run. */
  get count(): number {
    return this.written;
  }

  async sync(): Promise<void> {
    if (this.fd !== undefined) await fsyncAsync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

/** JSON for a dead-letter line; a record JSON cannot represent (BigInt, cycles) is kept as text. */
function serialize(letter: DeadLetter): string {
  try {
    return JSON.stringify(letter);
  } catch {
    return JSON.stringify({ ...letter, record: String(letter.record) });
  }
}

/** `file:line` as shown to users. */
export function formatOrigin(origin: Origin): string {
  return `${origin.file}:${origin.line}`;
}
