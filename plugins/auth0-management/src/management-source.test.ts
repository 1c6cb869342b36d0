// The auth0-management source through its public contract (create → fingerprint → read → close),
// against the Auth0 stand-in over loopback: token, job lifecycle with backoff, download, the join
// with the password export, reuse on a second run, rate limits, failures and secrets.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Origin, recordingContext, type RecordingContext } from '@idflow/engine';
import { type Auth0UserRecord, auth0SourceSchema } from '@idflow/plugin-auth0';
import { type Auth0StandInOptions, type RunningAuth0StandIn, startAuth0StandIn } from '@idflow/zitadel-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManagementSourceConfig } from './config.js';
import plugin, { DEFAULT_EXPORT_FIELDS, managementSourceSchema } from './index.js';

let dir: string;
const standIns: RunningAuth0StandIn[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-management-'));
});
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
  await rm(dir, { recursive: true, force: true });
});

async function useStandIn(options: Auth0StandInOptions = {}): Promise<RunningAuth0StandIn> {
  const standIn = await startAuth0StandIn({ users: 200, rateLimit: { limit: 1000, windowSeconds: 1 }, ...options });
  standIns.push(standIn);
  return standIn;
}

function configFor(standIn: RunningAuth0StandIn, extra: Partial<ManagementSourceConfig> = {}): ManagementSourceConfig {
  return {
    domain: standIn.url,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    download: 'out/auth0-users.json.gz',
    passwords: standIn.passwordsPath,
    poll: { initialDelay: '5ms', maxDelay: '50ms' },
    ...extra,
  };
}

interface Drained {
  fingerprint: string;
  records: { origin: Origin; data: Auth0UserRecord }[];
  rejects: { origin: Origin; reason: string }[];
  ctx: RecordingContext;
}

/** Does what the runner does: create, fingerprint, read everything, close. */
async function drain(config: ManagementSourceConfig, options: { signal?: AbortSignal; resumeAfter?: Origin } = {}): Promise<Drained> {
  const ctx = recordingContext({ baseDir: dir, signal: options.signal });
  const source = await plugin.create(config, ctx);
  const drained: Drained = { fingerprint: '', records: [], rejects: [], ctx };
  try {
    drained.fingerprint = await source.fingerprint();
    for await (const item of source.read({ resumeAfter: options.resumeAfter })) {
      if (item.reject) drained.rejects.push({ origin: item.origin, reason: item.reject.reason });
      else drained.records.push({ origin: item.origin, data: item.data });
    }
  } finally {
    await source.close();
  }
  return drained;
}

/** The error `drain` fails with. */
async function failure(config: ManagementSourceConfig): Promise<Error & { code?: string; exitCode?: number }> {
  const error = await drain(config).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error, 'the source should have failed').toBeDefined();
  return error as Error & { code?: string };
}

/** Everything the source said, to search for secrets. */
function said(ctx: RecordingContext): string {
  return JSON.stringify([ctx.logs, ctx.warnings, [...ctx.counts]]);
}

describe('auth0-management source', () => {
  it('runs the export job, downloads the gzip and yields every user joined with its password', async () => {
    const standIn = await useStandIn({ job: { pendingPolls: 2, processingPolls: 3 } });
    const { records, rejects, ctx } = await drain(configFor(standIn));

    const expected = standIn.generated.expected;
    expect(records).toHaveLength(expected.users);
    expect(new Set(records.map((r) => r.data.profile.user_id)).size).toBe(expected.users);
    // Passwords joined by id as the auth0 source does: every known login has its hash.
    const byId = new Map(records.map((r) => [r.data.profile.user_id, r.data]));
    for (const login of standIn.generated.logins) expect(byId.get(login.user_id)?.passwordStatus).toBe('present');
    expect(ctx.counts.get('with-password')).toBe(expected.counts.present);
    // The password export's own problems are still reported, located in it.
    expect(rejects.filter((r) => r.reason === 'orphan password')).toHaveLength(expected.orphans.length);
    expect(rejects.filter((r) => r.origin.file === standIn.passwordsPath && /malformed/.test(r.reason))).toHaveLength(expected.counts.malformedPasswords);
    // Origins name the download as configured, line by line.
    expect(records[0].origin).toEqual({ file: 'out/auth0-users.json.gz', line: 1, offset: 0 });

    // Only the fields the mapping needs were asked for, and the file is kept gzip, mode 0600.
    const download = join(dir, 'out/auth0-users.json.gz');
    expect(statSync(download).mode & 0o777).toBe(0o600);
    const exported = gunzipSync(readFileSync(download)).toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(new Set(exported.flatMap((user) => Object.keys(user))).size).toBeLessThanOrEqual(DEFAULT_EXPORT_FIELDS.length);
    for (const user of exported) for (const key of Object.keys(user)) expect(DEFAULT_EXPORT_FIELDS).toContain(key);
    expect(existsSync(`${download}.partial`)).toBe(false);

    // Polled until completed, the states logged once each.
    const states = ctx.logs.map((log) => /export job job_\w+: (pending|processing|completed|failed)\b/.exec(log.message)?.[1]).filter(Boolean);
    expect(states[0]).toBe('pending');
    expect(states).toContain('processing');
    expect(states.at(-1)).toBe('completed');
    expect(standIn.stats()).toMatchObject({ tokensIssued: 1, jobsCreated: 1, downloads: 1 });
    expect(standIn.stats().jobStatusReads).toBeGreaterThanOrEqual(6);
    expect(ctx.counts.get('export.users')).toBe(expected.users);
  });

  it('polls with backoff: each wait at least ×1.5 the one before, up to poll.maxDelay', async () => {
    const standIn = await useStandIn({ job: { pendingPolls: 3, processingPolls: 3 } });
    await drain(configFor(standIn, { poll: { initialDelay: '40ms', maxDelay: '100ms' } }));
    const [job] = standIn.stats().jobs;
    const gaps = job.readAt.slice(1).map((at, i) => at - job.readAt[i]);
    // Waits only ever run long on a busy machine, never short: lower bounds (less 5 ms of timer rounding).
    const planned = [40, 60, 90, 100, 100, 100].slice(0, gaps.length);
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    for (const [i, wait] of planned.entries()) expect(gaps[i]).toBeGreaterThanOrEqual(wait - 5);
  });

  it('a second run reuses the downloaded file: same fingerprint, no new job, no new download', async () => {
    const standIn = await useStandIn();
    const first = await drain(configFor(standIn));
    const second = await drain(configFor(standIn));
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.records.map((r) => r.data.profile.user_id)).toEqual(first.records.map((r) => r.data.profile.user_id));
    expect(second.ctx.counts.get('export.reused')).toBe(1);
    expect(standIn.stats()).toMatchObject({ jobsCreated: 1, downloads: 1 });
    // A resumed read starts after the origin it is given, in the same file.
    const resumed = await drain(configFor(standIn), { resumeAfter: first.records[99].origin });
    expect(resumed.records.map((r) => r.data.profile.user_id)).toEqual(first.records.slice(100).map((r) => r.data.profile.user_id));
  });

  it('interrupted while waiting for the job, yields nothing; the next run goes on with the same job', async () => {
    const standIn = await useStandIn({ job: { pendingPolls: 30 } });
    const stop = new AbortController();
    const ctx = recordingContext({ baseDir: dir, signal: stop.signal });
    const source = await plugin.create(configFor(standIn, { poll: { initialDelay: '5ms', maxDelay: '5ms' } }), ctx);
    const fingerprint = await source.fingerprint();
    const reading = (async () => {
      const items = [];
      for await (const item of source.read({})) items.push(item);
      return items;
    })();
    while (standIn.stats().jobStatusReads < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect(await reading).toEqual([]);
    await source.close();

    // The same job is waited for again, under the same fingerprint.
    const again = await drain(configFor(standIn, { poll: { initialDelay: '1ms', maxDelay: '1ms' } }));
    expect(again.records).toHaveLength(standIn.generated.expected.users);
    expect(again.fingerprint).toBe(fingerprint);
    expect(standIn.stats().jobsCreated).toBe(1);
  });

  it('refuses a kept download made for another request, and a file it did not download', async () => {
    const standIn = await useStandIn();
    await drain(configFor(standIn));
    const changed = await failure(configFor(standIn, { fields: ['user_id', 'email'] }));
    expect(changed.message).toMatch(/source\.with\.download: out\/auth0-users\.json\.gz belongs to export job job_\w+ .* delete it and auth0-users\.json\.gz\.job\.json to export again/);
    expect(changed.exitCode).toBe(2);

    writeFileSync(join(dir, 'stray.json.gz'), 'not ours');
    const stray = await failure(configFor(standIn, { download: 'stray.json.gz' }));
    expect(stray.message).toMatch(/stray\.json\.gz exists but was not downloaded by this source/);
  });

  it('downloads the same job again when the kept file changed', async () => {
    const standIn = await useStandIn();
    const first = await drain(configFor(standIn));
    writeFileSync(join(dir, 'out/auth0-users.json.gz'), 'tampered');
    const second = await drain(configFor(standIn));
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.records).toHaveLength(first.records.length);
    expect(second.ctx.warnings.map((w) => w.message).join()).toMatch(/changed since it was downloaded from export job job_\w+: downloading that job's file again/);
    expect(standIn.stats()).toMatchObject({ jobsCreated: 1, downloads: 2 });
  });

  it('waits out 429s until x-ratelimit-reset and never calls before it', async () => {
    const standIn = await useStandIn({ faults: { tooManyRequests: 2 } });
    const { records, ctx } = await drain(configFor(standIn));
    expect(records).toHaveLength(standIn.generated.expected.users);
    expect(ctx.counts.get('export.rate-limited')).toBe(2);
    expect(standIn.stats()).toMatchObject({ rateLimited: 2, requestsBeforeReset: 0 });
  });

  it('paces itself on x-ratelimit-remaining: a tiny bucket is never overrun', async () => {
    const standIn = await useStandIn({ rateLimit: { limit: 2, windowSeconds: 1 }, job: { pendingPolls: 2, processingPolls: 2 } });
    const { records } = await drain(configFor(standIn, { poll: { initialDelay: '1ms', maxDelay: '1ms' } }));
    expect(records).toHaveLength(standIn.generated.expected.users);
    expect(standIn.stats()).toMatchObject({ rateLimited: 0, requestsBeforeReset: 0 });
  });

  it('reads the job again for a fresh link when the download link expired, and after a cut-off download', async () => {
    const standIn = await useStandIn({ faults: { expiredDownloads: 1, truncatedDownloads: 1 } });
    const { records, ctx } = await drain(configFor(standIn));
    expect(records).toHaveLength(standIn.generated.expected.users);
    expect(ctx.counts.get('export.download-retries')).toBe(2);
    expect(standIn.stats().downloadsFailed).toBe(2);
  });

  it('gives up on a link that keeps expiring with a precise message, no signature in it', async () => {
    const standIn = await useStandIn({ faults: { expiredDownloads: 10 } });
    const error = await failure(configFor(standIn));
    expect(error.code).toBe('EXPORT_DOWNLOAD_FAILED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(
      new RegExp(`could not download the export of Auth0 job job_\\w+ from ${standIn.url}/exports/job_\\w+/idflow-stand-in\\.json\\.gz in 3 tries; last: HTTP 403 AccessDenied: Request has expired: .*valid for 60 s`),
    );
    for (const secret of standIn.secrets()) expect(error.message).not.toContain(secret);
    expect(existsSync(join(dir, 'out/auth0-users.json.gz'))).toBe(false);
    expect(existsSync(join(dir, 'out/auth0-users.json.gz.partial'))).toBe(false);
  });

  it('fails with the job failure', async () => {
    const standIn = await useStandIn({ job: { fail: true } });
    const error = await failure(configFor(standIn));
    expect(error.code).toBe('EXPORT_FAILED');
    expect(error.message).toMatch(/^Auth0 export job job_\w+ failed: The export job failed\.; run again to start a new export job$/);
  });

  it('says exactly what is wrong with refused credentials or a missing scope, never the secret', async () => {
    const standIn = await useStandIn();
    const wrong = await failure(configFor(standIn, { clientSecret: 'not-the-secret-4c1d' }));
    expect(wrong.code).toBe('AUTH_REFUSED');
    expect(wrong.message).toBe(
      `Auth0 refused the client credentials at ${standIn.url}/oauth/token (401 Unauthorized, access_denied): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application is a machine-to-machine application authorized for the Management API (audience ${standIn.url}/api/v2/)`,
    );
    expect(wrong.message).not.toContain('not-the-secret-4c1d');

    const unscoped = await useStandIn({ scopes: ['read:clients'] });
    const forbidden = await failure(configFor(unscoped));
    expect(forbidden.code).toBe('AUTH_FORBIDDEN');
    expect(forbidden.message).toMatch(/^Auth0 denied the users-export job creation \(403 Insufficient scope, expected any of: read:users, insufficient_scope\): grant the application the read:users scope/);
  });

  it('never says a secret: not in logs, warnings, counters or the manifest', async () => {
    const standIn = await useStandIn({ faults: { tooManyRequests: 1, expiredDownloads: 1 } });
    const { ctx } = await drain(configFor(standIn));
    const everything = said(ctx) + readFileSync(join(dir, 'out/auth0-users.json.gz.job.json'), 'utf8');
    const secrets = standIn.secrets();
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('signature=');
  });

  it('exports one connection: only its users; password records of other connections are filtered, not orphans', async () => {
    const standIn = await useStandIn();
    const database = standIn.connections.find((c) => c.name === 'Username-Password-Authentication')!;
    // The support export also holds a user of another database connection.
    const passwords = join(dir, 'passwords.ndjson');
    const otherDb = { _id: { $oid: '6a0000000000000000000001' }, email: 'x@example.com', passwordHash: '$2b$10$abcdefghijklmnopqrstuu', connection: 'Other-DB' };
    writeFileSync(passwords, `${readFileSync(standIn.passwordsPath, 'utf8')}\n${JSON.stringify(otherDb)}\n`);
    const { records, rejects, ctx } = await drain(configFor(standIn, { connectionId: database.id, passwords }));
    expect(records.length).toBeGreaterThan(100);
    expect(records.length).toBeLessThan(standIn.generated.expected.users);
    for (const record of records) expect(record.data.profile.identities?.some((i) => i.connection === database.name)).toBe(true);
    expect(rejects.filter((r) => r.reason === 'orphan password')).toHaveLength(standIn.generated.expected.orphans.length);
    expect(ctx.counts.get('filtered.passwords')).toBe(1);

    // Without a connection, the same record is an orphan: no profile of any connection has it.
    const all = await drain(configFor(standIn, { passwords, download: 'all.json.gz' }));
    expect(all.rejects.filter((r) => r.reason === 'orphan password')).toHaveLength(standIn.generated.expected.orphans.length + 1);
  });
  it('checks the password file as the auth0 source does, before the first user, with its passwordCheck and passwordsEncoding', async () => {
    const standIn = await useStandIn();
    const latin1 = join(dir, 'passwords-latin1.ndjson');
    // The same export saved as Latin-1, with one non-ASCII email so the encoding matters.
    const text = readFileSync(standIn.passwordsPath, 'utf8');
    const accented = text.replace(/"email":"([^"@]+)@/, '"email":"$1é@');
    expect(accented).not.toBe(text);
    writeFileSync(latin1, Buffer.from(accented, 'latin1'));

    // Read as UTF-8 (the default), the record with the é byte is a located reject; the file still
    // delivers, so the run goes on.
    const strict = await drain(configFor(standIn, { passwords: latin1 }));
    expect(strict.rejects.filter((r) => r.origin.file === latin1 && /invalid UTF-8 \(byte 0xe9/.test(r.reason))).toHaveLength(1);
    // Named, it is decoded: the same users get a hash as from the original file.
    const decoded = await drain(configFor(standIn, { passwords: latin1, passwordsEncoding: 'latin1', download: 'again.json.gz' }));
    expect(decoded.rejects.filter((r) => r.origin.file === latin1 && /invalid UTF-8/.test(r.reason))).toEqual([]);
    expect(decoded.ctx.counts.get('with-password')).toBe(standIn.generated.expected.counts.present);

    // A file of ids matching no profile: the default check stops the run before any user, exit 1.
    const strangers = join(dir, 'strangers.ndjson');
    writeFileSync(strangers, text.replaceAll(/"\$oid":"5f/g, '"$oid":"7f'));
    const stopped = await failure(configFor(standIn, { passwords: strangers, download: 'strangers.json.gz' }));
    expect(stopped.exitCode).toBe(1);
    // (Only the few users with a custom id, joined by their alt_id, got a hash.)
    expect(stopped.message).toMatch(/^password export .*strangers\.ndjson: only \d of the first \d+ database users got a password hash .*far below what the file promises/);
    // passwordCheck is passed on: a share of 0 turns the check off, and the users are read without hashes.
    const unchecked = await drain(configFor(standIn, { passwords: strangers, download: 'strangers.json.gz', passwordCheck: { minShare: 0 } }));
    expect(unchecked.records).toHaveLength(standIn.generated.expected.users);
    expect(unchecked.ctx.counts.get('with-password')).toBeLessThan(10);
  });
});

describe('auth0-management config checks', () => {
  it("offers the auth0 source's encoding, passwordsEncoding and passwordCheck with that source's own schema", () => {
    const own = managementSourceSchema.properties as { [key: string]: unknown };
    const auth0 = auth0SourceSchema.properties as { [key: string]: unknown };
    for (const key of ['encoding', 'passwordsEncoding', 'passwordCheck']) expect(own[key], key).toBe(auth0[key]);
  });


  it('refuses plain http to a remote tenant and fields without user_id', () => {
    const problems = plugin.validate!({ domain: 'http://acme.eu.auth0.com', clientId: 'a', clientSecret: 'b', download: 'x', fields: ['email'] });
    expect(problems).toEqual([
      { path: ['domain'], message: 'the Auth0 tenant must use https:// (plain http is accepted for a loopback address only): http://acme.eu.auth0.com' },
      { path: ['fields'], message: 'must include user_id: profiles are joined to passwords, checkpointed and imported by it' },
    ]);
    expect(plugin.validate!({ domain: 'acme.eu.auth0.com', clientId: 'a', clientSecret: 'b', download: 'x' })).toEqual([]);
  });
});
