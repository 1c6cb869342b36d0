// Export jobs: created by `POST /api/v2/jobs/users-exports`, read by `GET /api/v2/jobs/{id}`.
// A job is `pending`, then `processing` (with `percentage_done` and `time_left_seconds`), then
// `completed` with a `location` to download — or `failed` (the states Auth0's SDKs and API
// reference name: https://auth0.com/docs/api/management/v2/jobs/get-jobs-by-id). The stand-in
// advances a job by status reads, not by time, so tests are deterministic; the file is written
// in the background and a job never completes before it is.
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { Auth0Connection } from './connections.js';
import type { ExportField } from './export-fields.js';
import { writeExportFile } from './export-file.js';
import type { ResolvedAuth0StandInOptions } from './options.js';
import type { StandInTenant } from './tenant-users.js';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface ExportJob {
  id: string;
  createdAt: number;
  connection?: Auth0Connection;
  format: 'json';
  limit?: number;
  fields?: ExportField[];
  /** Status reads so far. */
  reads: number;
  /** When each status read arrived (ms since the epoch), for tests of a client's polling. */
  readAt: number[];
  /** `<tenant>.json.gz` in the job's folder. */
  file: string;
  fileName: string;
  /** Set once the file is written: the users in it. */
  users?: number;
  /** Set when writing the file failed. */
  writeError?: string;
}

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `job_` and 16 letters and digits (the pattern of `id` in the API reference). */
function newJobId(): string {
  let id = 'job_';
  for (let i = 0; i < 16; i++) id += idAlphabet[randomInt(idAlphabet.length)];
  return id;
}

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly tenant: StandInTenant,
    private readonly dir: string,
    private readonly options: ResolvedAuth0StandInOptions,
  ) {}

  get created(): number {
    return this.jobs.size;
  }

  /** Every job created, oldest first. */
  all(): ExportJob[] {
    return [...this.jobs.values()];
  }

  /** Creates a job and starts writing its file. */
  create(request: { connection?: Auth0Connection; limit?: number; fields?: ExportField[] }): ExportJob {
    const id = newJobId();
    const fileName = `${this.options.tenant}.json.gz`;
    const job: ExportJob = { id, createdAt: Date.now(), format: 'json', reads: 0, readAt: [], file: join(this.dir, `${id}-${fileName}`), fileName, ...request };
    this.jobs.set(id, job);
    const writing = writeExportFile(this.tenant, { connection: request.connection?.name, fields: request.fields, limit: request.limit }, job.file).then(
      (users) => {
        job.users = users;
      },
      (error: Error) => {
        job.writeError = error.message;
      },
    );
    this.writing.add(writing);
    void writing.finally(() => this.writing.delete(writing));
    return job;
  }

  /** The job, unless unknown or past its lifetime. */
  find(id: string, now = Date.now()): ExportJob | undefined {
    const job = this.jobs.get(id);
    return job && now - job.createdAt <= this.options.job.ttlMs ? job : undefined;
  }

  /** Counts a status read and answers the job's status after it. */
  read(job: ExportJob): JobStatus {
    job.reads++;
    job.readAt.push(Date.now());
    return this.status(job);
  }

  /** The status without counting a read. */
  status(job: ExportJob): JobStatus {
    const { pendingPolls, processingPolls, fail } = this.options.job;
    if (job.reads <= pendingPolls) return 'pending';
    const written = job.users !== undefined || job.writeError !== undefined;
    if (job.reads <= pendingPolls + processingPolls || !written) return 'processing';
    return fail || job.writeError !== undefined ? 'failed' : 'completed';
  }

  /** Resolves once every file being written is done (before closing). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }
}
