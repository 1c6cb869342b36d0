// startAuth0StandIn: a local stand-in for the parts of Auth0 an export needs — the client
// credentials token endpoint, the users-export job endpoints and the download of the job's file —
// so idflow's `auth0-management` source can be tested and demonstrated without a tenant. What it
// mirrors, and from which Auth0 page, is listed in README.md beside this file.
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedExport } from '@idflow/fixtures';
import { matchPath } from '../http/route.js';
import { newSecret } from '../ids.js';
import type { Auth0Connection } from './connections.js';
import { DownloadLinks } from './download-links.js';
import { type ExportField, fieldsProblem } from './export-fields.js';
import { type ExportJob, ExportJobs } from './export-jobs.js';
import { managementError, oauthError, type StandInReply } from './management-error.js';
import { type Auth0StandInOptions, resolveAuth0StandInOptions } from './options.js';
import { TenantRateLimit } from './rate-limit.js';
import { generateTenant } from './tenant-users.js';

export interface Auth0StandInStats {
  tokensIssued: number;
  jobsCreated: number;
  jobStatusReads: number;
  /** Downloads of the whole file started (a link accepted, no fault drawn). */
  downloads: number;
  /** Downloads refused (expired or forged link) or cut short by a fault. */
  downloadsFailed: number;
  rateLimited: number;
  /** Requests that came after a 429 but before the `x-ratelimit-reset` it announced. */
  requestsBeforeReset: number;
  /** Answers by `METHOD /route` and status. */
  requests: { [route: string]: { [status: string]: number } };
  /** Per job, oldest first: its id and when each status read arrived (ms since the epoch). */
  jobs: { id: string; readAt: number[] }[];
}

export interface RunningAuth0StandIn {
  /** Base URL, e.g. `http://127.0.0.1:4000`: what idflow's `domain` takes. */
  url: string;
  port: number;
  /** The Management API audience tokens are asked for: `<url>/api/v2/`. */
  audience: string;
  /** Tenant name; export files are `<tenant>.json.gz`. */
  tenant: string;
  clientId: string;
  /** A secret: print it only on purpose. */
  clientSecret: string;
  connections: Auth0Connection[];
  /** The password-hash export for the tenant's users, as Auth0 support delivers it (mode 0600). */
  passwordsPath: string;
  /** What the fixture generator wrote: known logins and every user's expected fate. */
  generated: GeneratedExport;
  dir: string;
  stats(): Auth0StandInStats;
  /** Every secret handed out so far (client secret, access tokens, download signatures), for leak checks. */
  secrets(): string[];
  close(): Promise<void>;
}

interface IssuedToken {
  expiresAt: number;
  scopes: string[];
}

interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  bodyText: string;
}

interface StandInRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Management API routes count against the tenant's bucket. */
  management: boolean;
  /** Answers, or undefined when the route wrote the response itself (downloads). */
  handle(context: RouteContext): Promise<StandInReply | undefined>;
}

const MAX_BODY_BYTES = 1 << 20;
const JOB_ID = /^job_[A-Za-z0-9]{16}$/;
const CONNECTION_ID = /^con_[A-Za-z0-9]{16}$/;
/** Scopes that let a client read a job ("Require Scopes: create:users, read:users, create:passwords_checking_job"). */
const JOB_READ_SCOPES = ['create:users', 'read:users', 'create:passwords_checking_job'];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(text: string): { [key: string]: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as { [key: string]: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The token request's parameters: Auth0 takes JSON or a form. */
function tokenParameters(req: IncomingMessage, bodyText: string): Record<string, string> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(bodyText));
  const json = parseJsonObject(bodyText) ?? {};
  return Object.fromEntries(Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/** Starts the stand-in (generating its users first); resolves once it listens. */
export async function startAuth0StandIn(standInOptions: Auth0StandInOptions = {}): Promise<RunningAuth0StandIn> {
  const options = resolveAuth0StandInOptions(standInOptions);
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'idflow-auth0-stand-in-')));
  await mkdir(join(dir, 'jobs'), { recursive: true, mode: 0o700 });
  const tenant = await generateTenant(dir, options.users, options.seed);
  const jobs = new ExportJobs(tenant, join(dir, 'jobs'), options);
  const links = new DownloadLinks();
  const rateLimit = new TenantRateLimit(options.rateLimit.limit, options.rateLimit.windowSeconds, options.faults.tooManyRequests);
  const clientId = options.clientId ?? newSecret(16);
  const clientSecret = options.clientSecret ?? newSecret(32);
  const tokens = new Map<string, IssuedToken>();
  const faults = { ...options.faults };
  const counts = { statusReads: 0, downloads: 0, downloadsFailed: 0 };
  const requests: Auth0StandInStats['requests'] = {};
  let url = '';
  let audience = '';

  /** Why a Management API call is refused (401/403), or undefined when its token has one of `anyOf`. */
  function authorize(req: IncomingMessage, anyOf: string[]): StandInReply | undefined {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return managementError(401, 'Missing authentication');
    const token = tokens.get(header.slice('Bearer '.length));
    if (!token) return managementError(401, 'Invalid token');
    if (Date.now() >= token.expiresAt) return managementError(401, 'Expired token received for JSON Web Token validation');
    if (!token.scopes.some((scope) => anyOf.includes(scope))) {
      return managementError(403, `Insufficient scope, expected any of: ${anyOf.join(',')}`, 'insufficient_scope');
    }
    return undefined;
  }

  function jobBody(job: ExportJob, status: string): { [key: string]: unknown } {
    const body: { [key: string]: unknown } = { type: 'users_export', status };
    if (job.connection) Object.assign(body, { connection_id: job.connection.id, connection: job.connection.name });
    Object.assign(body, { format: job.format, ...(job.limit !== undefined ? { limit: job.limit } : {}), ...(job.fields ? { fields: job.fields } : {}) });
    Object.assign(body, { id: job.id, created_at: new Date(job.createdAt).toISOString() });
    if (status === 'processing') {
      const { pendingPolls, processingPolls } = options.job;
      const done = Math.min(99, Math.round(((job.reads - pendingPolls) / Math.max(1, processingPolls)) * 100));
      Object.assign(body, { percentage_done: done, time_left_seconds: Math.max(1, processingPolls - (job.reads - pendingPolls)) });
    }
    if (status === 'completed') {
      const expiresAt = Date.now() + options.downloadUrlTtlMs;
      body.location = `${url}/exports/${job.id}/${job.fileName}?${links.query(job.id, expiresAt)}`;
      Object.assign(body, { percentage_done: 100, time_left_seconds: 0 });
    }
    if (status === 'failed') body.status_details = job.writeError ? `export failed: ${job.writeError}` : 'The export job failed.';
    return body;
  }

  const routes: StandInRoute[] = [
    {
      // https://auth0.com/docs/api/authentication (Client Credentials Flow: POST /oauth/token)
      method: 'POST',
      path: '/oauth/token',
      management: false,
      async handle({ req, bodyText }) {
        const params = tokenParameters(req, bodyText);
        if (!params.grant_type) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
        if (params.grant_type !== 'client_credentials') return oauthError(403, 'unauthorized_client', `Grant type '${params.grant_type}' not allowed for the client.`);
        if (params.client_id !== clientId || params.client_secret !== clientSecret) return oauthError(401, 'access_denied', 'Unauthorized');
        if (params.audience !== audience) return oauthError(403, 'access_denied', `Service not found: ${params.audience ?? ''}`);
        const accessToken = newSecret(32);
        tokens.set(accessToken, { expiresAt: Date.now() + options.tokenTtlSeconds * 1000, scopes: options.scopes });
        return { status: 200, body: { access_token: accessToken, scope: options.scopes.join(' '), expires_in: options.tokenTtlSeconds, token_type: 'Bearer' } };
      },
    },
    {
      // https://auth0.com/docs/api/management/v2/jobs/post-users-exports
      method: 'POST',
      path: '/api/v2/jobs/users-exports',
      management: true,
      async handle({ req, bodyText }) {
        const refused = authorize(req, ['read:users']);
        if (refused) return refused;
        const body = parseJsonObject(bodyText);
        if (!body) return managementError(400, 'Payload validation error: Invalid JSON body', 'invalid_body');
        if (body.format !== 'json') {
          return managementError(400, `Payload validation error: the stand-in writes format "json" only (got ${JSON.stringify(body.format ?? null)}); Auth0 also writes "csv"`, 'invalid_body');
        }
        let connection: Auth0Connection | undefined;
        if (body.connection_id !== undefined) {
          if (typeof body.connection_id !== 'string' || !CONNECTION_ID.test(body.connection_id)) {
            return managementError(400, `Payload validation error: String does not match pattern ${CONNECTION_ID.source} in connection_id`, 'invalid_body');
          }
          connection = tenant.connections.find((candidate) => candidate.id === body.connection_id);
          if (!connection) return managementError(404, 'The connection does not exist', 'inexistent_connection');
        }
        if (body.limit !== undefined && !(Number.isInteger(body.limit) && (body.limit as number) >= 1)) {
          return managementError(400, 'Payload validation error: limit must be an integer of at least 1', 'invalid_body');
        }
        const problem = fieldsProblem(body.fields);
        if (problem) return managementError(400, `Payload validation error: ${problem}`, 'invalid_body');
        const job = jobs.create({ connection, limit: body.limit as number | undefined, fields: body.fields as ExportField[] | undefined });
        return { status: 201, body: jobBody(job, 'pending') };
      },
    },
    {
      // https://auth0.com/docs/api/management/v2/jobs/get-jobs-by-id
      method: 'GET',
      path: '/api/v2/jobs/{id}',
      management: true,
      async handle({ req, params }) {
        const refused = authorize(req, JOB_READ_SCOPES);
        if (refused) return refused;
        if (!JOB_ID.test(params.id)) return managementError(400, `Path validation error: String does not match pattern ${JOB_ID.source} in id`, 'invalid_uri');
        const job = jobs.find(params.id);
        if (!job) return managementError(404, 'The job does not exist.', 'inexistent_job');
        counts.statusReads++;
        return { status: 200, body: jobBody(job, jobs.read(job)) };
      },
    },
    {
      // The `location` of a completed job (a signed link, not a Management API call: no bearer token).
      method: 'GET',
      path: '/exports/{id}/{file}',
      management: false,
      async handle({ res, params, query }) {
        const xml = { 'content-type': 'application/xml' };
        const job = jobs.find(params.id);
        if (!job || params.file !== job.fileName || jobs.status(job) !== 'completed') {
          counts.downloadsFailed++;
          return { status: 404, body: s3Error('NoSuchKey', 'The specified key does not exist.'), headers: xml };
        }
        const validity = links.check(job.id, query.get('expires'), query.get('signature'));
        if (validity === 'forged') {
          counts.downloadsFailed++;
          return { status: 403, body: s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'), headers: xml };
        }
        if (validity === 'expired' || faults.expiredDownloads > 0) {
          if (validity !== 'expired') faults.expiredDownloads--;
          counts.downloadsFailed++;
          return { status: 403, body: s3Error('AccessDenied', 'Request has expired'), headers: xml };
        }
        const { size } = await stat(job.file);
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': size, 'content-disposition': `attachment; filename="${job.fileName}"` });
        if (faults.truncatedDownloads > 0) {
          faults.truncatedDownloads--;
          counts.downloadsFailed++;
          const half = createReadStream(job.file, { end: Math.max(0, Math.floor(size / 2) - 1) });
          half.on('data', (chunk) => res.write(chunk));
          await new Promise<void>((resolve) => half.on('close', resolve));
          res.socket?.destroy();
          return undefined;
        }
        // Counted when the whole file starts going out: the client may have it before `pipeline` settles here.
        counts.downloads++;
        try {
          await pipeline(createReadStream(job.file), res);
        } catch {
          // The client went away mid-download.
          counts.downloadsFailed++;
        }
        return undefined;
      },
    },
  ];

  function count(route: string, status: number | string): void {
    const byStatus = (requests[route] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  function send(res: ServerResponse, reply: StandInReply, headers: Record<string, string> = {}): void {
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const type = typeof reply.body === 'string' ? {} : { 'content-type': 'application/json; charset=utf-8' };
    res.writeHead(reply.status, { ...type, 'content-length': Buffer.byteLength(text), ...headers, ...reply.headers });
    res.end(text);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://stand-in');
    let params: Record<string, string> | undefined;
    const route = routes.find((candidate) => candidate.method === req.method && (params = matchPath(candidate.path, requestUrl.pathname)));
    const bodyText = await readBody(req);
    if (!route || !params) {
      send(res, managementError(404, 'Not Found'));
      return;
    }
    const key = `${route.method} ${route.path}`;
    let rateHeaders: Record<string, string> = {};
    if (route.management) {
      const decision = rateLimit.take();
      rateHeaders = decision.headers;
      if (!decision.allowed) {
        count(key, 429);
        send(res, managementError(429, 'Too Many Requests', 'too_many_requests'), rateHeaders);
        return;
      }
    }
    const reply = await route.handle({ req, res, params, query: requestUrl.searchParams, bodyText });
    if (!reply) {
      count(key, res.statusCode);
      return;
    }
    count(key, reply.status);
    send(res, reply, rateHeaders);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      process.stderr.write(`auth0-stand-in: ${(error as Error)?.stack ?? String(error)}\n`);
      if (!res.headersSent) send(res, managementError(500 as number, 'internal error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
  url = `http://${host}:${port}`;
  audience = `${url}/api/v2/`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    audience,
    tenant: options.tenant,
    clientId,
    clientSecret,
    connections: tenant.connections,
    passwordsPath: tenant.passwordsPath,
    generated: tenant.generated,
    dir,
    stats: () => ({
      tokensIssued: tokens.size,
      jobsCreated: jobs.created,
      jobStatusReads: counts.statusReads,
      downloads: counts.downloads,
      downloadsFailed: counts.downloadsFailed,
      rateLimited: rateLimit.rateLimited,
      requestsBeforeReset: rateLimit.requestsBeforeReset,
      requests: structuredClone(requests),
      jobs: jobs.all().map((job) => ({ id: job.id, readAt: [...job.readAt] })),
    }),
    secrets: () => [clientSecret, ...tokens.keys(), ...links.issued],
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await jobs.settle();
        if (ownDir) await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
