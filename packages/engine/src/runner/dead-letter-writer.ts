// The dead-letter output: one NDJSON line per refused record, with the stage, the reason, where the
// record came from and the record itself, kept whole so the record can be replayed. An append-only
// file (append-only-file.ts): a line counts as acknowledged the moment the OS has it, and a resumed
// run cuts the file back to the checkpoint's length. Mode 0600: records carry password hashes.

import type { Origin } from '../plugin.js';
import { AppendOnlyFile } from './append-only-file.js';

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
  private readonly file: AppendOnlyFile;
  private written = 0;

  /** `path` undefined: rejections are counted and reported as events, but not saved. */
  constructor(readonly path: string | undefined) {
    this.file = new AppendOnlyFile(path, { what: 'dead-letter file', code: 'DLQ', setting: 'dlq.path' });
  }

  /** Creates the file (always, so an empty file means "nothing refused"); keeps `keepBytes` of it on resume. */
  open(keepBytes: number | undefined): void {
    this.file.open(keepBytes);
  }

  /** Appends one line; returns once the OS has it (durable at the next `sync`). */
  write(letter: DeadLetter): void {
    this.written += 1;
    if (this.file.isOpen) this.file.append(`${serialize(letter)}\n`);
  }

  /** Bytes written so far: read synchronously together with the acknowledgement snapshot. */
  get bytes(): number {
    return this.file.bytes;
  }

  /** Lines written by this run. */
  get count(): number {
    return this.written;
  }

  sync(): Promise<void> {
    return this.file.sync();
  }

  close(): void {
    this.file.close();
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
