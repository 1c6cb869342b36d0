// A file the run appends lines to and that a checkpoint names the length of: the dead-letter
// output, failures.csv, warnings.csv. Lines are written synchronously, so a line counts the moment
// the OS has it; `sync()` makes them durable before a checkpoint names the length; a resumed run
// cuts the file back to that length, so nothing after the checkpoint is there twice. Mode 0600:
// these files hold personal data (the dead-letter file, password hashes too).

import { closeSync, fchmodSync, fstatSync, fsync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { FatalError } from '../errors.js';

const fsyncAsync = promisify(fsync);

/** How the file is named in messages and error codes. */
export interface AppendOnlyFileLabel {
  /** `dead-letter file`, `failures file`… */
  what: string;
  /** Error code prefix: `DLQ` gives `DLQ_NOT_A_FILE`, `DLQ_CHANGED`, `DLQ_WRITE`. */
  code: string;
  /** What to point at a file when the path is not one, e.g. `dlq.path`. */
  setting: string;
}

export class AppendOnlyFile {
  private fd: number | undefined;
  private length = 0;

  /** `path` undefined: nothing is written (lines are still accepted). */
  constructor(
    readonly path: string | undefined,
    private readonly label: AppendOnlyFileLabel,
  ) {}

  /**
   * Creates the file (always, so an empty file means "nothing to list"); keeps `keepBytes` of it
   * on resume and answers true when it started empty (write a header then).
   */
  open(keepBytes: number | undefined): boolean {
    if (!this.path) return false;
    const { what, code, setting } = this.label;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a', 0o600);
    try {
      const stat = fstatSync(fd);
      // A device or a pipe can be neither made private nor cut back to the checkpoint's length.
      if (!stat.isFile()) throw new FatalError(`${what} path ${this.path} is not a regular file; point ${setting} at a file`, `${code}_NOT_A_FILE`);
      fchmodSync(fd, 0o600);
      if (keepBytes !== undefined && stat.size < keepBytes) {
        throw new FatalError(
          `${what} ${this.path} is shorter (${stat.size} bytes) than the checkpoint says (${keepBytes}); it was changed since the last run — run with --fresh to start over`,
          `${code}_CHANGED`,
        );
      }
      ftruncateSync(fd, keepBytes ?? 0);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
    this.length = keepBytes ?? 0;
    return this.length === 0;
  }

  /** Appends `text`; returns once the OS has it (durable at the next `sync`). */
  append(text: string): void {
    if (this.fd === undefined) return;
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      throw new FatalError(`cannot write the ${this.label.what} ${this.path}: ${errno === 'ENOSPC' ? 'no space left on device' : (error as Error).message}`, `${this.label.code}_WRITE`);
    }
    this.length += bytes.length;
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** Bytes in the file so far: read synchronously together with the acknowledgement snapshot. */
  get bytes(): number {
    return this.length;
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
