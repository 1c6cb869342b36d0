// `zitadel-file`: ImportData request bodies on disk (`importBody-00001.json`, …), the shape
// zitadel-tools writes, ready to POST to /admin/v1/import by hand. They hold password hashes:
// mode 0600. Each file is written whole (temp file + rename), and the checkpoint records the
// next file number, so after a crash and resume every user is in exactly one file.
//
// Records are acknowledged as soon as their JSON is handed to the body writer (body-writer.ts),
// which encodes the bodies and writes (and fsyncs) each full one in a worker thread of its own, at
// most a few batches behind: the pipeline goes on meanwhile. Before any checkpoint counts them,
// checkpointState() waits for those writes and puts the users of the body still being built in the
// checkpoint itself (a 0600 file, like the bodies), which a resumed run takes back: a crash loses
// nothing (files after the checkpoint are removed when the run resumes) and every file still holds
// batchSize users. A failed write fails the next call, and every one after it.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type PluginContext, type RecordEnvelope, type Sink, type SinkOutcome, WorkerChannel, definePlugin } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { type ImportOrg, metadataEntryJsons, userEntryJson } from '../import/build-import-request.js';
import { formatGoDuration, parseDurationMs } from '../retry/retry-policy.js';
import type { BodyBatch, BodyCheckpoint, BodyWriterOptions } from './body-writer.js';

export { bodyFileName } from './body-writer.js';

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

const writerUrl = new URL('./body-writer-worker.js', import.meta.url);
/** Batches handed to the writer and not yet taken in (memory: a few hundred users' JSON at most). */
const maxBatchesInFlight = 4;

/** Every record of a written batch gets this same outcome (read-only), not one object each. */
const written: SinkOutcome = Object.freeze({ status: 'written' });

/** Opens the file sink. Exported for tests and the benchmark. */
export function createFileSink(config: FileSinkConfig, ctx: PluginContext): Sink<ZitadelUserRecord> {
  const dir = resolve(ctx.baseDir, config.dir);
  const batchSize = config.batchSize ?? 1000;
  const timeout = formatGoDuration(parseDurationMs(config.timeout ?? '5m0s'));
  const org: ImportOrg = { orgId: config.orgId, orgName: config.orgName };
  /** The next file's number as of the last checkpoint (a dry run keeps the resumed one). */
  let nextFile = 1;
  let writer: WorkerChannel | undefined;
  /** The writer's first failure: every later call fails with it. */
  let failure: unknown;

  /** Runs `operation` on the writer, keeping its failure for every later call. */
  function withWriter<T>(operation: (channel: WorkerChannel) => T): T {
    if (failure !== undefined) throw failure;
    try {
      return operation(writer!);
    } catch (error) {
      failure = error;
      throw error;
    }
  }

  function answered(reply: BodyCheckpoint): FileSinkState {
    if (reply.files > 0) ctx.count('files', reply.files);
    nextFile = reply.nextFile;
    return reply.pending ? { nextFile, pending: reply.pending } : { nextFile };
  }

  return {
    // Small batches: each record's JSON is handed over soon after it is read, so most records die
    // young, which keeps memory and garbage collection small.
    batching: { maxRecords: Math.min(batchSize, 100) },
    async open(state) {
      const resumed = state as FileSinkState | undefined;
      nextFile = resumed?.nextFile ?? 1;
      // A dry run writes nothing, and above all removes nothing.
      if (ctx.dryRun) return;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Files from after the checkpoint (or from an earlier run, when starting fresh) hold users
      // that will be written again: remove them so no user is in two files.
      for (const name of await readdir(dir)) {
        const match = bodyFilePattern.exec(name);
        if (match && (Number(match[1]) >= nextFile || match[2])) await rm(join(dir, name), { force: true });
      }
      const options = { dir, org, timeout, batchSize, nextFile, pending: resumed?.pending ?? [] } satisfies BodyWriterOptions;
      writer = new WorkerChannel(writerUrl, options, maxBatchesInFlight, { dedicated: true });
    },
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      if (writer) {
        const next: BodyBatch = { users: [], metadata: [], counts: [] };
        for (const envelope of batch) {
          next.users.push(userEntryJson(envelope.data));
          next.counts.push(metadataEntryJsons(envelope.data, next.metadata));
        }
        withWriter((channel) => channel.send('add', next));
      }
      return new Array<SinkOutcome>(batch.length).fill(written);
    },
    target: () => ({ kind: 'zitadel-file', fields: { dir } }),
    async checkpointState(): Promise<FileSinkState> {
      if (!writer) return { nextFile };
      return answered(withWriter((channel) => channel.call<BodyCheckpoint>('checkpoint')));
    },
    async close() {
      if (!writer) return;
      try {
        answered(withWriter((channel) => channel.call<BodyCheckpoint>('close')));
      } finally {
        writer.close();
        writer = undefined;
      }
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
      dir: { type: 'string', 'x-idflow': 'output-dir', description: 'Directory for the body files (created; files are mode 0600).' },
      orgId: { type: 'string', description: 'Organization id written into each body.' },
      orgName: { type: 'string', description: 'Organization name, so the import creates the org when missing (optional).' },
      batchSize: { type: 'integer', minimum: 1, maximum: 20000, description: 'Most users per file (default 1000).' },
      timeout: { type: 'string', 'x-idflow': 'tuning', description: 'The `timeout` written into each body, a Go duration (default "5m0s").' },
    },
  },
  create: (config: FileSinkConfig, ctx: PluginContext) => createFileSink(config, ctx),
});
