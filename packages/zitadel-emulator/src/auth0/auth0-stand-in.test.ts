// The stand-in over loopback, as a client sees it: token, job lifecycle, download, and the Auth0
// behaviours README.md lists (scopes, 60 s links, rate-limit headers, failures).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Auth0StandInOptions } from './options.js';
import { type RunningAuth0StandIn, startAuth0StandIn } from './server.js';

const running: RunningAuth0StandIn[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((standIn) => standIn.close()));
});

async function useStandIn(options: Auth0StandInOptions = {}): Promise<RunningAuth0StandIn> {
  // This client polls as fast as it can: a bucket larger than a free tenant's keeps it out of 429s.
  const standIn = await startAuth0StandIn({ users: 60, rateLimit: { limit: 1000, windowSeconds: 1 }, ...options });
  running.push(standIn);
  return standIn;
}

async function token(standIn: RunningAuth0StandIn): Promise<string> {
  const response = await fetch(`${standIn.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: standIn.clientId, client_secret: standIn.clientSecret, audience: standIn.audience }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body.token_type).toBe('Bearer');
  expect(body.expires_in).toBe(86_400);
  return body.access_token;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
type Json = any;

async function api(standIn: RunningAuth0StandIn, bearer: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Creates a job and reads it until it is no longer pending or processing; returns every status seen. */
async function runJob(standIn: RunningAuth0StandIn, bearer: string, request: object): Promise<{ statuses: string[]; job: Json }> {
  const created = await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', request);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const statuses = [created.body.status];
  let job = created.body;
  while (job.status === 'pending' || job.status === 'processing') {
    const read = await api(standIn, bearer, 'GET', `/api/v2/jobs/${created.body.id}`);
    expect(read.status).toBe(200);
    job = read.body;
    statuses.push(job.status);
  }
  return { statuses, job };
}

function exportedUsers(gzip: Buffer): Json[] {
  return gunzipSync(gzip)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

describe('Auth0 stand-in', () => {
  it('runs a job pending → processing → completed and serves the gzip NDJSON export of every user once', async () => {
    const standIn = await useStandIn({ job: { pendingPolls: 2, processingPolls: 3 } });
    const bearer = await token(standIn);
    const { statuses, job } = await runJob(standIn, bearer, { format: 'json', fields: [{ name: 'user_id' }, { name: 'email' }, { name: 'identities' }] });
    // Two reads pending (plus the creation's answer), three or more processing (more while the file is still being written).
    expect(statuses.join(' ')).toMatch(/^pending pending pending processing processing processing( processing)* completed$/);
    expect(job.id).toMatch(/^job_[A-Za-z0-9]{16}$/);
    expect(job.type).toBe('users_export');
    expect(job.location).toMatch(new RegExp(`^${standIn.url}/exports/${job.id}/idflow-stand-in\\.json\\.gz\\?expires=\\d+&signature=[0-9a-f]{64}$`));

    // The download needs no bearer token: it is a signed link.
    const download = await fetch(job.location);
    expect(download.status).toBe(200);
    const users = exportedUsers(Buffer.from(await download.arrayBuffer()));
    // The generator's users, each once: its malformed lines and its repeated user_id are not users of the tenant.
    expect(users).toHaveLength(60);
    expect(new Set(users.map((u) => u.user_id)).size).toBe(60);
    expect(Object.keys(users[0]).sort()).toEqual(['email', 'identities', 'user_id']);
    const generatedIds = readFileSync(standIn.generated.profiles.ndjson!, 'utf8').split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line).user_id as string];
      } catch {
        return [];
      }
    });
    expect(users.map((u) => u.user_id)).toEqual([...new Set(generatedIds)]);
    expect(standIn.stats().downloads).toBe(1);
  });

  it('exports one connection, renames with export_as, picks leaf paths and honours limit', async () => {
    const standIn = await useStandIn();
    const bearer = await token(standIn);
    const database = standIn.connections.find((c) => c.name === 'Username-Password-Authentication')!;
    expect(database.id).toMatch(/^con_[A-Za-z0-9]{16}$/);
    const { job } = await runJob(standIn, bearer, {
      format: 'json',
      connection_id: database.id,
      fields: [{ name: 'user_id' }, { name: 'email', export_as: 'mail' }, { name: 'identities[0].connection', export_as: 'provider' }],
    });
    expect(job.connection).toBe('Username-Password-Authentication');
    const users = exportedUsers(Buffer.from(await (await fetch(job.location)).arrayBuffer()));
    expect(users.length).toBeGreaterThan(20);
    expect(users.length).toBeLessThan(60);
    for (const user of users) expect(user).toEqual({ user_id: expect.stringMatching(/^auth0\|/), mail: expect.any(String), provider: 'Username-Password-Authentication' });

    const limited = await runJob(standIn, bearer, { format: 'json', limit: 5, fields: [{ name: 'user_id' }] });
    expect(exportedUsers(Buffer.from(await (await fetch(limited.job.location)).arrayBuffer()))).toHaveLength(5);
  });

  it('refuses bad credentials, another audience, missing scopes and an unknown job like Auth0', async () => {
    const standIn = await useStandIn({ scopes: ['read:clients'] });
    const wrong = await fetch(`${standIn.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: standIn.clientId, client_secret: 'nope', audience: standIn.audience }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    const otherAudience = await fetch(`${standIn.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: standIn.clientId, client_secret: standIn.clientSecret, audience: 'https://elsewhere/api/v2/' }),
    });
    expect(otherAudience.status).toBe(403);

    const bearer = await token(standIn);
    const noScope = await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', { format: 'json' });
    expect(noScope.status).toBe(403);
    expect(noScope.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: read:users', errorCode: 'insufficient_scope' });
    expect((await api(standIn, 'forged-token', 'GET', '/api/v2/jobs/job_AAAAAAAAAAAAAAAA')).status).toBe(401);
  });

  it('validates the export request', async () => {
    const standIn = await useStandIn();
    const bearer = await token(standIn);
    const tooMany = await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', { format: 'json', fields: Array.from({ length: 31 }, (_, i) => ({ name: `f${i}` })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/at most 30 fields/);
    expect((await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', { format: 'json', connection_id: 'con_AAAAAAAAAAAAAAAA' })).status).toBe(404);
    expect((await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', { format: 'json', connection_id: 'x' })).status).toBe(400);
    expect((await api(standIn, bearer, 'POST', '/api/v2/jobs/users-exports', { format: 'json', limit: 0 })).status).toBe(400);
    expect((await api(standIn, bearer, 'GET', '/api/v2/jobs/job_AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('fails jobs in the failure mode', async () => {
    const standIn = await useStandIn({ job: { fail: true } });
    const { statuses, job } = await runJob(standIn, await token(standIn), { format: 'json' });
    expect(statuses.at(-1)).toBe('failed');
    expect(job.location).toBeUndefined();
    expect(job.status_details).toBeTruthy();
  });

  it('refuses expired, forged and faulted download links; a new status read gives a fresh link', async () => {
    const standIn = await useStandIn({ downloadUrlTtlMs: 0, faults: { expiredDownloads: 1 } });
    const bearer = await token(standIn);
    const { job } = await runJob(standIn, bearer, { format: 'json' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const expired = await fetch(job.location);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Message>Request has expired</Message>');
    const forged = await fetch(job.location.replace(/signature=[0-9a-f]/, 'signature=x'));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('SignatureDoesNotMatch');
    expect(standIn.stats().downloadsFailed).toBe(2);
  });

  it('answers every Management API call with x-ratelimit-* headers and 429 once the bucket is empty', async () => {
    const standIn = await useStandIn({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const bearer = await token(standIn);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api(standIn, bearer, 'GET', '/api/v2/jobs/job_AAAAAAAAAAAAAAAA'));
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    const reset = Number(answers[3].headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(answers[3].body.statusCode).toBe(429);
    // A client that calls again before the announced reset is counted.
    await api(standIn, bearer, 'GET', '/api/v2/jobs/job_AAAAAAAAAAAAAAAA');
    expect(standIn.stats()).toMatchObject({ rateLimited: 2, requestsBeforeReset: 1 });
  });

  it('writes the password export for the same users, mode 0600', async () => {
    const standIn = await useStandIn();
    const { statSync } = await import('node:fs');
    expect(statSync(standIn.passwordsPath).mode & 0o777).toBe(0o600);
    const lines = readFileSync(standIn.passwordsPath, 'utf8').split('\n').filter((line) => line.includes('passwordHash'));
    expect(lines.length).toBeGreaterThan(30);
    expect(standIn.generated.logins.length).toBeGreaterThan(0);
  });
});
