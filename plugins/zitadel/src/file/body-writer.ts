// The zitadel-file sink's writing side, run in a worker thread of its own (body-writer-worker.js):
// it turns the users' JSON (built on the main thread, one string each) into UTF-8 import bodies
// and writes each full body as a file, durably, while the pipeline goes on. Encoding was ~9% of
// the main thread's time in the offline conversion; strings cross threads at memcpy speed.
//
// Each body is written whole (temp file, fsync, rename, mode 0600). `checkpoint` fsyncs the
// directory and answers the users of the body still being filled, so the checkpoint can carry
// them (see file-sink.ts). A failed write fails every later operation with the same error.

import { closeSync, fsyncSync, openSync, renameSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { ImportBodyBytes, type ImportOrg } from '../import/build-import-request.js';

export interface BodyWriterOptions {
  dir: string;
  org: ImportOrg;
  timeout: string;
  batchSize: number;
  /** The number of the next file. */
  nextFile: number;
  /** Users of that file kept by a checkpoint: the JSON of the `humanUsers` entry and of each metadata entry. */
  pending: [user: string, metadata: string[]][];
}

/** Users of one `add`: their JSON, their metadata entries' JSON (flat) and how many each has. */
export interface BodyBatch {
  users: string[];
  metadata: string[];
  counts: number[];
}

/** What `checkpoint` answers. */
export interface BodyCheckpoint {
  nextFile: number;
  pending?: [user: string, metadata: string[]][];
  /** Files written since the last answer. */
  files: number;
}

/** `importBody-00001.json` for 1. */
export function bodyFileName(n: number): string {
  return `importBody-${String(n).padStart(5, '0')}.json`;
}

/** Writes `parts` in order to `path` with mode 0600, durably, appearing all at once. */
function writeFileAtomically(path: string, parts: Buffer[]): void {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    const rest = parts.filter((part) => part.length > 0);
    while (rest.length > 0) {
      let written = writevSync(fd, rest);
      if (written === 0) throw new Error(`writing ${temp}: the disk took no bytes`);
      // A short write goes on from where it stopped.
      while (rest.length > 0 && written >= rest[0].length) written -= rest.shift()!.length;
      if (rest.length > 0 && written > 0) rest[0] = rest[0].subarray(written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** fsyncs a directory, so the renames of files into it are durable too. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The writer's operations, as a WorkerChannel store serves them. */
export function openBodyWriter(options: BodyWriterOptions) {
  const { dir, batchSize } = options;
  const body = new ImportBodyBytes(options.org, options.timeout);
  for (const [user, metadata] of options.pending) body.addJson(user, metadata);
  let nextFile = options.nextFile;
  let files = 0;
  let renamed = false;
  let failure: Error | undefined;

  const guarded =
    <A, R>(operation: (args: A) => R) =>
    (args: A): R => {
      if (failure) throw failure;
      try {
        return operation(args);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw failure;
      }
    };

  function writeBody(): void {
    if (body.size === 0) return;
    writeFileAtomically(join(dir, bodyFileName(nextFile)), body.takeParts('\n'));
    nextFile += 1;
    files += 1;
    renamed = true;
  }

  function answer(withPending: boolean): BodyCheckpoint {
    if (renamed) syncDirectory(dir);
    renamed = false;
    const reply: BodyCheckpoint = { nextFile, files };
    files = 0;
    if (withPending && body.size > 0) reply.pending = body.snapshot();
    return reply;
  }

  return {
    add: guarded(({ users, metadata, counts }: BodyBatch) => {
      let next = 0;
      for (let i = 0; i < users.length; i++) {
        body.addJson(users[i], metadata.slice(next, next + counts[i]));
        next += counts[i];
        if (body.size >= batchSize) writeBody();
      }
      return null;
    }),
    checkpoint: guarded(() => answer(true)),
    close: guarded(() => {
      writeBody();
      return answer(false);
    }),
  };
}
