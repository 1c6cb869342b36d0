// The `ndjson` sink: appends one JSON line per record to a file (mode 0600: records may hold
// password hashes). It takes part in checkpoints: `checkpointState` makes the file durable and
// returns its length, and `open(state)` cuts the file back to that length, so after a crash and
// a resume every record is in the file exactly once. A device or a pipe (`/dev/stdout`) is written
// as it is: not made private, not cut back, so a run into one cannot be resumed.

import { constants } from 'node:fs';
import { access, mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { definePlugin, FatalError, type RecordEnvelope, type Sink, type SinkOutcome, type SinkTarget, type PluginContext } from '@idflow/engine';

export interface NdjsonSinkConfig {
  path: string;
}

/** What the sink saves in a checkpoint. */
export interface NdjsonSinkState {
  bytes: number;
}

const WRITTEN: SinkOutcome = Object.freeze({ status: 'written' });

class NdjsonSink implements Sink {
  readonly batching = { maxRecords: 1000, lingerMs: 200 };
  private handle: FileHandle | undefined;
  /** Bytes of the file that hold complete, written lines. */
  private bytes = 0;
  /** Writes are chained so the file's line order is the order of `write` calls, whatever the concurrency. */
  private queue: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** False for a device or a pipe: nothing to truncate, chmod or fsync. */
  private regular = true;

  constructor(
    private readonly file: string,
    private readonly path: string,
  ) {}

  /** The output's folder exists or can be made, and can be written: checked before anything is read. */
  async preflight(): Promise<void> {
    let existing = this.path;
    try {
      const info = await stat(existing);
      if (info.isDirectory()) throw new FatalError(`cannot write ${this.file} (${this.path}): it is a folder`, 'OUTPUT_UNUSABLE');
      if (info.isFile()) await access(existing, constants.W_OK);
      return;
    } catch (error) {
      if (error instanceof FatalError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw this.unusable(error);
    }
    // The file is to be created: its nearest existing folder must be a folder we may write in.
    for (existing = dirname(this.path); ; existing = dirname(existing)) {
      try {
        const info = await stat(existing);
        if (!info.isDirectory()) throw new FatalError(`cannot write ${this.file} (${this.path}): ${existing} is a file, not a folder`, 'OUTPUT_UNUSABLE');
        await access(existing, constants.W_OK);
        return;
      } catch (error) {
        if (error instanceof FatalError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing) throw this.unusable(error);
      }
    }
  }

  target(): SinkTarget {
    return { kind: 'ndjson', fields: { path: this.path } };
  }

  async open(state: unknown): Promise<void> {
    const keep = isSinkState(state) ? state.bytes : 0;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a', 0o600);
    try {
      const info = await handle.stat();
      this.regular = info.isFile();
      if (!this.regular) {
        if (keep > 0) throw new FatalError(`output ${this.file} is not a regular file, so a run into it cannot be resumed — run with --fresh`, 'OUTPUT_CHANGED');
        this.handle = handle;
        return;
      }
      await handle.chmod(0o600);
      const { size } = info;
      if (size < keep) {
        throw new FatalError(
          `output ${this.file} is shorter (${size} bytes) than the checkpoint says (${keep}); it was changed since the last run — run with --fresh to start over`,
          'OUTPUT_CHANGED',
        );
      }
      await handle.truncate(keep);
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    this.bytes = keep;
  }

  write(batch: RecordEnvelope[]): Promise<SinkOutcome[]> {
    const outcomes: SinkOutcome[] = new Array(batch.length);
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      let line: string | undefined;
      try {
        line = JSON.stringify(batch[i].data);
      } catch (error) {
        outcomes[i] = { status: 'rejected', reason: `cannot be written as JSON: ${(error as Error).message}` };
        continue;
      }
      if (line === undefined) {
        outcomes[i] = { status: 'rejected', reason: 'cannot be written as JSON: the record is undefined' };
        continue;
      }
      text += `${line}\n`;
      outcomes[i] = WRITTEN;
    }
    const done = this.queue.then(() => this.append(Buffer.from(text, 'utf8')));
    this.queue = done.catch(() => undefined);
    return done.then(() => outcomes);
  }

  /** The runner calls this with no write running: `bytes` is taken now, later appends do not change it. */
  async checkpointState(): Promise<NdjsonSinkState> {
    const state = { bytes: this.bytes };
    if (this.handle && this.regular) await this.handle.sync();
    return state;
  }

  async close(): Promise<void> {
    await this.queue;
    const handle = this.handle;
    this.handle = undefined;
    if (handle) {
      if (this.regular) await handle.sync();
      await handle.close();
    }
  }

  private unusable(error: unknown): FatalError {
    const code = (error as NodeJS.ErrnoException).code;
    return new FatalError(`cannot write ${this.file} (${this.path}): ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`, 'OUTPUT_UNUSABLE');
  }

  private async append(buffer: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.handle) throw new Error(`ndjson sink ${this.file} was not opened`);
    try {
      let done = 0;
      while (done < buffer.length) {
        const { bytesWritten } = await this.handle.write(buffer, done, buffer.length - done);
        done += bytesWritten;
      }
    } catch (error) {
      // Later batches must not land after a hole: every write fails from now on.
      const why = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'no space left on device' : (error as Error).message;
      this.failure = new FatalError(`cannot write ${this.file}: ${why}`, 'OUTPUT_WRITE');
      throw this.failure;
    }
    this.bytes += buffer.length;
  }
}

function isSinkState(state: unknown): state is NdjsonSinkState {
  return typeof state === 'object' && state !== null && typeof (state as NdjsonSinkState).bytes === 'number';
}

/** Writes records as newline-delimited JSON to a file. */
export const ndjsonSink = definePlugin({
  name: 'ndjson',
  kind: 'sink',
  description: 'Writes each record as one JSON line to a file (mode 0600); exactly-once across resumes.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        'x-idflow': 'output-path',
        description: 'File to write, relative to the pipeline file. Replaced on a fresh run, continued on a resumed one.',
      },
    },
  },
  create(config: NdjsonSinkConfig, ctx: PluginContext): Sink {
    return new NdjsonSink(config.path, resolve(ctx.baseDir, config.path));
  },
});
