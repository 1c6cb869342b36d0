// `zitadel-file`: ImportData request bodies on disk (`importBody-00001.json`, …), the shape
// zitadel-tools writes, ready to POST to /admin/v1/import by hand. They hold password hashes:
// mode 0600. Each file is written whole (temp file + rename), and the checkpoint records the
// next file number, so after a crash and resume every user is in exactly one file.
//
// Records are acknowledged as soon as they are in the body being built, and full bodies are
// written (and fsynced) in the background, one after the other: the pipeline goes on meanwhile.
// Before any checkpoint counts them, checkpointState() waits for those writes and puts the users
// of the body still being built in the checkpoint itself (a 0600 file, like the bodies), which a
// resumed run takes back: a crash loses nothing (files after the checkpoint are removed when the
// run resumes) and every file still holds batchSize users. A failed write fails the next call.
import { open as openFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type PluginContext, type RecordEnvelope, type Sink, type SinkOutcome, definePlugin } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { ImportBodyBytes, type ImportOrg } from '../import/build-import-request.js';
import { formatGoDuration, parseDurationMs } from '../retry/retry-policy.js';

/** `with:` of the `zitadel-file` sink. */
export interface FileSinkConfig {
  dir: string;
  orgId: string;
  orgName?: string;
  batchSize?: number;
  timeout?: string;
}

/** What the checkpoint keeps: the number the next body file gets, and the users it has already. */
export interface FileSinkState {
  nextFile: number;
  /** Each user of that file so far: the JSON of its `humanUsers` entry and of its `userMetadata` entries. */
  pending?: [user: string, metadata: string[]][];
}

const bodyFilePattern = /^importBody-(\d{5,})\.json(\.tmp)?$/;

/** `importBody-00001.json` for 1. */
export function bodyFileName(n: number): string {
  return `importBody-${String(n).padStart(5, '0')}.json`;
}

/** Writes `parts` in order to `path` with mode 0600, durably (but for the rename: see `syncDirectory`), appearing all at once. */
async function writeFileAtomically(path: string, parts: Buffer[]): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await openFile(temp, 'w', 0o600);
  try {
    const rest = parts.filter((part) => part.length > 0);
    while (rest.length > 0) {
      let { bytesWritten } = await handle.writev(rest);
      if (bytesWritten === 0) throw new Error(`writing ${temp}: the disk took no bytes`);
      // A short write goes on from where it stopped.
      while (rest.length > 0 && bytesWritten >= rest[0].length) bytesWritten -= rest.shift()!.length;
      if (rest.length > 0 && bytesWritten > 0) rest[0] = rest[0].subarray(bytesWritten);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** fsyncs a directory, so the renames of files into it are durable too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await openFile(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Full bodies waiting to be written beyond which `write` waits for the disk (~1.3 MB each at 1,000 users). */
const maxQueued = 4;

/** Every record of a written batch gets this same outcome (read-only), not one object each. */
const written: SinkOutcome = Object.freeze({ status: 'written' });

/** Opens the file sink. Exported for tests and the benchmark. */
export function createFileSink(config: FileSinkConfig, ctx: PluginContext): Sink<ZitadelUserRecord> {
  const dir = resolve(ctx.baseDir, config.dir);
  const batchSize = config.batchSize ?? 1000;
  const timeout = formatGoDuration(parseDurationMs(config.timeout ?? '5m0s'));
  const org: ImportOrg = { orgId: config.orgId, orgName: config.orgName };
  let nextFile = 1;
  const pending = new ImportBodyBytes(org, timeout);
  /** The body writes started so far, chained: each starts after the one before. */
  let writing: Promise<void> = Promise.resolve();
  /** Each body's write, oldest first, until `write` has waited for it (memory: at most `maxQueued`). */
  const queued: Promise<void>[] = [];
  /** Whether files were renamed into `dir` since its last fsync. */
  let renamed = false;
  let failure: unknown;

  /** Starts writing the pending users as the next file, after the writes already started. */
  function startFlush(): void {
    if (pending.size === 0 || ctx.dryRun) return;
    const body = pending.takeParts('\n');
    const path = join(dir, bodyFileName(nextFile));
    nextFile += 1;
    writing = writing.then(async () => {
      try {
        if (failure !== undefined) return;
        await writeFileAtomically(path, body);
        renamed = true;
        ctx.count('files');
      } catch (error) {
        failure = error;
      }
    });
    queued.push(writing);
  }

  /** Waits for every write started (each fsynced) and makes their renames durable; throws the first failure. */
  async function settle(): Promise<void> {
    await writing;
    queued.length = 0;
    if (failure !== undefined) throw failure;
    if (renamed) await syncDirectory(dir);
    renamed = false;
  }

  return {
    // Small batches: each record is dropped soon after it is read (see ImportBodyBytes), so most
    // die young, which keeps memory and garbage collection small.
    batching: { maxRecords: Math.min(batchSize, 100) },
    async open(state) {
      // A dry run writes nothing, and above all removes nothing.
      if (ctx.dryRun) return;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const resumed = state as FileSinkState | undefined;
      nextFile = resumed?.nextFile ?? 1;
      for (const [user, metadata] of resumed?.pending ?? []) pending.addJson(user, metadata);
      // Files from after the checkpoint (or from an earlier run, when starting fresh) hold users
      // that will be written again: remove them so no user is in two files.
      for (const name of await readdir(dir)) {
        const match = bodyFilePattern.exec(name);
        if (match && (Number(match[1]) >= nextFile || match[2])) await rm(join(dir, name), { force: true });
      }
    },
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      if (failure !== undefined) throw failure;
      for (const envelope of batch) {
        if (!ctx.dryRun) pending.add(envelope.data);
        if (pending.size >= batchSize) startFlush();
      }
      // The disk is behind: wait for the oldest bodies rather than keep more in memory (waiting
      // for all of them would leave the pipeline idle while the last ones are written).
      while (queued.length > maxQueued) await queued.shift();
      return new Array<SinkOutcome>(batch.length).fill(written);
    },
    async checkpointState(): Promise<FileSinkState> {
      if (!ctx.dryRun) await settle();
      return pending.size === 0 || ctx.dryRun ? { nextFile } : { nextFile, pending: pending.snapshot() };
    },
    async close() {
      startFlush();
      if (!ctx.dryRun) await settle();
    },
  };
}

/** The `zitadel-file` plugin. */
export const fileSink = definePlugin({
  name: 'zitadel-file',
  kind: 'sink',
  description: 'Writes ZITADEL bulk import request bodies (importBody-00001.json, …) to a directory, to POST by hand.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dir', 'orgId'],
    properties: {
      dir: { type: 'string', description: 'Directory for the body files (created; files are mode 0600).' },
      orgId: { type: 'string', description: 'Organization id written into each body.' },
      orgName: { type: 'string', description: 'Organization name, so the import creates the org when missing (optional).' },
      batchSize: { type: 'integer', minimum: 1, maximum: 20000, description: 'Most users per file (default 1000).' },
      timeout: { type: 'string', description: 'The `timeout` written into each body, a Go duration (default "5m0s").' },
    },
  },
  create: (config: FileSinkConfig, ctx: PluginContext) => createFileSink(config, ctx),
});
