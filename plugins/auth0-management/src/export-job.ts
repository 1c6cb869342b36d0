// The users-export job: created with POST /api/v2/jobs/users-exports (format json, the fields the
// mapping needs, one connection or all), then read with GET /api/v2/jobs/{id} — waiting longer
// between reads each time — until it is `completed` (with a `location` to download) or `failed`
// (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports,
// https://auth0.com/docs/api/management/v2/jobs/get-jobs-by-id).
import { FatalError } from '@idflow/engine';
import type { PollSettings } from './config.js';
import { auth0ErrorText, type ManagementClient } from './management-client.js';
import { interruptibleSleep } from './sleep.js';

/** What the export asks Auth0 for; also what a kept download is checked against. */
export interface ExportRequest {
  connectionId?: string;
  fields: string[];
  limit?: number;
}

/** A job as Auth0 answers it, the fields idflow reads. */
export interface ExportJob {
  id: string;
  status: string;
  connection?: string;
  location?: string;
  percentageDone?: number;
  timeLeftSeconds?: number;
  statusDetails?: string;
}

function parseJob(body: unknown): ExportJob | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { [key: string]: unknown };
  if (typeof b.id !== 'string' || typeof b.status !== 'string') return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  return {
    id: b.id,
    status: b.status,
    connection: text(b.connection),
    location: text(b.location),
    percentageDone: number(b.percentage_done),
    timeLeftSeconds: number(b.time_left_seconds),
    statusDetails: text(b.status_details),
  };
}

const scopeHint = 'grant the application the read:users scope of the Auth0 Management API (Applications → APIs → Auth0 Management API → Machine To Machine Applications)';

/** Refusals no retry can fix, in words that say what to change. */
function refused(status: number, body: unknown, what: string): FatalError {
  const reason = auth0ErrorText(body) || `HTTP ${status}`;
  if (status === 401) return new FatalError(`Auth0 refused the Management API token for the ${what} (401 ${reason})`, 'AUTH_REFUSED');
  if (status === 403) return new FatalError(`Auth0 denied the ${what} (403 ${reason}): ${scopeHint}`, 'AUTH_FORBIDDEN');
  return new FatalError(`Auth0 refused the ${what} (${status} ${reason})`, 'SOURCE_REFUSED');
}

/** Creates the export job. */
export async function createExportJob(client: ManagementClient, request: ExportRequest): Promise<ExportJob> {
  const body = {
    format: 'json',
    ...(request.connectionId ? { connection_id: request.connectionId } : {}),
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
    fields: request.fields.map((name) => ({ name })),
  };
  const answer = await client.call('POST', '/api/v2/jobs/users-exports', body, 'users-export job creation');
  if (answer.status === 404 && request.connectionId) {
    throw new FatalError(`Auth0 has no connection ${request.connectionId} (404 ${auth0ErrorText(answer.body)}): check connectionId`, 'SOURCE_REFUSED');
  }
  const job = answer.status === 200 || answer.status === 201 ? parseJob(answer.body) : undefined;
  if (!job) throw refused(answer.status, answer.body, 'users-export job creation');
  return job;
}

/** Reads the job; undefined when Auth0 no longer has it (404: jobs expire). */
export async function readExportJob(client: ManagementClient, id: string): Promise<ExportJob | undefined> {
  const answer = await client.call('GET', `/api/v2/jobs/${encodeURIComponent(id)}`, undefined, `status read of export job ${id}`);
  if (answer.status === 404) return undefined;
  const job = answer.status === 200 ? parseJob(answer.body) : undefined;
  if (!job) throw refused(answer.status, answer.body, `status read of export job ${id}`);
  return job;
}

export interface PollHooks {
  signal: AbortSignal;
  log(message: string, fields?: { [key: string]: unknown }): void;
}

/** Reads the job until it completes (returned, with its `location`); a failure, expiry or timeout is a FatalError. */
export async function waitForExportJob(client: ManagementClient, id: string, poll: PollSettings, hooks: PollHooks): Promise<ExportJob> {
  const started = Date.now();
  let delay = poll.initialDelayMs;
  let shown = '';
  for (;;) {
    const job = await readExportJob(client, id);
    if (!job) {
      throw new FatalError(`Auth0 export job ${id} no longer exists (404): jobs expire 24 h after they are created; run again to start a new export job`, 'EXPORT_EXPIRED');
    }
    const state = `${job.status}${job.percentageDone !== undefined && job.status === 'processing' ? ` ${job.percentageDone}%` : ''}`;
    if (state !== shown) {
      const left = job.timeLeftSeconds !== undefined && job.status === 'processing' ? ` (about ${job.timeLeftSeconds} s left)` : '';
      hooks.log(`Auth0 export job ${id}: ${state}${left}`, { job: id, status: job.status, percentageDone: job.percentageDone });
      shown = state;
    }
    if (job.status === 'completed') return job;
    if (job.status === 'failed') {
      throw new FatalError(`Auth0 export job ${id} failed${job.statusDetails ? `: ${job.statusDetails}` : ''}; run again to start a new export job`, 'EXPORT_FAILED');
    }
    if (Date.now() - started + delay > poll.timeoutMs) {
      throw new FatalError(
        `Auth0 export job ${id} has not completed after ${Math.round((Date.now() - started) / 1000)} s (status ${state}; poll.timeout ${Math.round(poll.timeoutMs / 1000)} s); run again to keep waiting for the same job`,
        'EXPORT_TIMEOUT',
      );
    }
    await interruptibleSleep(delay, hooks.signal);
    delay = Math.min(poll.maxDelayMs, Math.round(delay * 1.5));
  }
}
