// Issue 13 through the built CLI, sink side: an answer that does not prove a write is never
// counted as one (§4); a user blocked in Auth0 is delivered only once ZITADEL holds it locked, a
// lock that cannot be applied fails the run, and a later run locks a user found present (§7); a
// hash verifier the instance does not enable stops the run early, naming it (§3); a lone UTF-16
// surrogate is stopped, located, before it can fail a batch (issue 17 §6).
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli } from './helpers.js';
import { type DeadLetter, type RunReportFile, emulatorUsers, zitadelEnv } from './zitadel-support.js';

const temp = makeTempDir('idflow-trust-e2e-');
const emulators: RunningEmulator[] = [];
let generated: GeneratedExport;
const pipelines = { import: join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml'), v2: join(repoRoot, 'pipelines', 'auth0-to-zitadel-v2.yaml') };

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 300, seed: 23, formats: ['ndjson'] });
}, 120_000);
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

const readReport = (outDir: string) => JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunReportFile;
const quickRetries = ['--set', 'sink.with.retry.attempts=2', '--set', 'sink.with.retry.initialDelay=10'];

/** A loopback server answering each request with `reply(path)`; closed after the file's tests. */
async function stubTarget(reply: (path: string) => unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply(new URL(req.url ?? '/', 'http://stub').pathname)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stubs.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const stubs: Server[] = [];
afterAll(() => Promise.all(stubs.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));

const stubEnv = (url: string, outDir: string) => ({
  AUTH0_PROFILES: generated.profiles.ndjson!,
  AUTH0_PASSWORDS: generated.passwords,
  ZITADEL_URL: url,
  ZITADEL_PAT: 'stub-pat',
  ZITADEL_ORG_ID: 'org-1',
  OUT_DIR: outDir,
});

describe('a target that answers 200 {} (issue 13 §4)', () => {
  it.each(Object.entries(pipelines))('to everything: the %s pipeline stops at the preflight, exit 1, nothing written', async (kind, pipeline) => {
    const { url } = await stubTarget(() => ({}));
    const outDir = join(temp.dir, `stub-all-${kind}`);
    const result = await runCli(['run', pipeline], { env: stubEnv(url, outDir) });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toMatch(/lacks the permission (iam|user)\.write/);
    expect(readReport(outDir).counts.written).toBe(0);
  }, 120_000);

  it.each(Object.entries(pipelines))('to the writes only: the %s pipeline counts nobody as written, exit 1, the users not final', async (kind, pipeline) => {
    // Answers the preflight as ZITADEL would, then `{}` to every write: no user id, no success list.
    const { url } = await stubTarget((path) => {
      if (path === '/auth/v1/permissions/zitadel/me/_search') return { result: ['iam.write', 'user.write', 'org.read'] };
      if (path === '/management/v1/orgs/me') return { org: { id: 'org-1', state: 'ORG_STATE_ACTIVE', name: 'Stub' } };
      return {};
    });
    const outDir = join(temp.dir, `stub-writes-${kind}`);
    const result = await runCli(['run', pipeline, ...quickRetries], { env: { ...stubEnv(url, outDir), ZITADEL_RATE_LIMIT: '0' } });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const report = readReport(outDir);
    expect(report.counts.written).toBe(0);
    expect(report.counts.undeliverable).toBeGreaterThan(0);
    expect(Object.keys(report.undeliverableByReason).every((reason) => /the write is not proven/.test(reason))).toBe(true);
  }, 120_000);
});

describe('the preflight of the ZITADEL sinks (issue 13 §3, issue 17 §4)', () => {
  /** A port nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  const cases: { name: string; pipeline: keyof typeof pipelines; env: (emu: RunningEmulator) => Promise<NodeJS.ProcessEnv> | NodeJS.ProcessEnv; args?: string[]; message: (emu: RunningEmulator) => RegExp }[] = [
    {
      name: 'a mistyped port',
      pipeline: 'import',
      env: async () => ({ ZITADEL_URL: `http://127.0.0.1:${await closedPort()}` }),
      message: () => /cannot reach ZITADEL at http:\/\/127\.0\.0\.1:\d+: connection refused \(checked before reading any user\)\. Check sink\.with\.url/,
    },
    { name: 'a wrong token', pipeline: 'v2', env: () => ({ ZITADEL_PAT: 'not-the-token-7e1f' }), message: () => /refused the pat credentials \(401 Unauthenticated\)/ },
    {
      name: 'an org that does not exist',
      pipeline: 'import',
      env: () => ({ ZITADEL_ORG_ID: '999999999999999999' }),
      message: (emu) => new RegExp(`organization 999999999999999999 does not exist in ZITADEL at ${emu.url} \\(AUTH-Bs7Ds\\): check sink\\.with\\.orgId \\(ZITADEL_ORG_ID\\), or set sink\\.with\\.orgName`),
    },
    {
      name: 'a service user without IAM_OWNER for the bulk import',
      pipeline: 'import',
      env: async (emu) => ({ ZITADEL_PAT: (await emu.createServiceUser({ role: 'ORG_USER_WRITER', orgId: emu.orgId })).pat }),
      message: () => /lacks the permission iam\.write in organization \S+ at \S+, which zitadel-import needs: grant it the IAM_OWNER role/,
    },
    {
      name: 'an IdP link to an IdP that does not exist',
      pipeline: 'v2',
      env: () => ({}),
      args: ['--set', 'transforms.0.with.idpLinks.google-oauth2=idp-gone'],
      message: () => /cannot link users to: IdP idp-gone \(Auth0 connection google-oauth2\) does not exist\. Fix idpLinks or the IdPs/,
    },
  ];

  it.each(cases)('$name: exit 1 before any user is read or sent, with what to do, and no secret', async ({ name, pipeline, env, args, message }) => {
    const emu = await startEmulator({ port: 0 });
    emulators.push(emu);
    const outDir = join(temp.dir, `preflight-${name.replace(/\W+/g, '-')}`);
    const runEnv = { ...zitadelEnv(emu, generated, outDir), ...(await env(emu)) };
    const result = await runCli(['run', pipelines[pipeline], ...(args ?? [])], { env: runEnv });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toMatch(message(emu));
    const report = readReport(outDir);
    expect(report.counts.read).toBe(0);
    expect(emu.stats().users).toBe(0);
    for (const secret of [emu.pat, runEnv.ZITADEL_PAT!]) expect(result.stdout + result.stderr + JSON.stringify(report)).not.toContain(secret);
  }, 120_000);
});

describe('a user blocked in Auth0 (issue 13 §7)', () => {
  const blocked = () => generated.expected.byKind.blocked ?? [];
  const lockRoute = 'POST /v2/users/{userId}/lock';

  it('whose lock keeps failing is not delivered and fails the run; a later run finds it present and locks it', async () => {
    expect(blocked().length).toBeGreaterThan(0);
    const db = join(temp.dir, 'lock.sqlite');
    const pat = 'trust-e2e-pat-3c2f';
    let emu = await startEmulator({ port: 0, db, pat, faults: { seed: 9, unavailable: 1, routes: [lockRoute] } });
    const outDir = join(temp.dir, 'lock');
    const env = () => zitadelEnv(emu, generated, outDir, { ZITADEL_RATE_LIMIT: '0' });
    const first = await runCli(['run', pipelines.v2, ...quickRetries], { env: env() });
    expect(first.code, first.stderr.slice(-2000)).toBe(1);
    const report = readReport(outDir);
    // Not dead-lettered: not delivered, so not final (the runner keeps them for the next run).
    expect(report.counts.undeliverable).toBe(blocked().length);
    expect(report.undeliverableByReason).toEqual({ [Object.keys(report.undeliverableByReason)[0]]: blocked().length });
    expect(Object.keys(report.undeliverableByReason)[0]).toMatch(/^blocked in Auth0 but not locked in ZITADEL \(it can still log in\): HTTP 503/);
    const active = (await emulatorUsers(emu)).filter((u) => blocked().includes(u.userId));
    expect(active.map((u) => u.state)).toEqual(blocked().map(() => 'USER_STATE_ACTIVE'));
    await emu.close();

    // The target fixed (same URL: the checkpoint is bound to it): the same command again finds
    // those users present and locks them.
    emu = await startEmulator({ port: Number(new URL(emu.url).port), db, pat });
    emulators.push(emu);
    const second = await runCli(['run', pipelines.v2, ...quickRetries], { env: env() });
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const states = (await emulatorUsers(emu)).filter((u) => blocked().includes(u.userId)).map((u) => u.state);
    expect(states).toEqual(blocked().map(() => 'USER_STATE_LOCKED'));
    expect(readReport(outDir).metrics['zitadel-users'].locked).toBe(blocked().length);
  }, 300_000);
});

describe('a hash verifier the instance does not enable (issue 13 §3)', () => {
  it('stops the run after the first refusals, naming the verifier, instead of dead-lettering every such user', async () => {
    // The pipeline is told pbkdf2 is enabled; the instance enables bcrypt only.
    const emu = await startEmulator({ port: 0, verifiers: ['bcrypt'] });
    emulators.push(emu);
    const outDir = join(temp.dir, 'verifier');
    const env = zitadelEnv(emu, generated, outDir, { ZITADEL_VERIFIERS: 'bcrypt,pbkdf2' });
    const result = await runCli(['run', pipelines.import], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the first 3 pbkdf2 password hashes as not parsable by any enabled verifier \(CRYPT-2xK7d \/ CRYPT-r8Qm2\) and accepted none: its "pbkdf2" verifier is not enabled/);
    const refused = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).filter((l) => /NotSupported/.test(l.reason));
    expect(refused).toEqual([]);
  }, 120_000);
});

describe('an import request over gRPC\'s receive limit (issue 17 §5)', () => {
  it('answered 429 ResourceExhausted is split, never waited on as a rate limit: every user migrated, exit 0', async () => {
    // 40 kB instead of 4 MiB, so that the pipeline's 1,000-user batches are over it.
    const emu = await startEmulator({ port: 0, grpcMaxReceiveBytes: 40_000 });
    emulators.push(emu);
    const outDir = join(temp.dir, 'too-large');
    const result = await runCli(['run', pipelines.import], { env: zitadelEnv(emu, generated, outDir, { ZITADEL_RATE_LIMIT: '0' }) });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = readReport(outDir);
    expect(report.counts.undeliverable).toBe(0);
    expect(report.metrics['zitadel-import'].requestsTooLarge).toBeGreaterThan(0);
    expect(report.metrics['zitadel-import'].http429).toBeUndefined();
    expect(emu.stats().requests['POST /admin/v1/import']['429']).toBe(report.metrics['zitadel-import'].requestsTooLarge);
    expect(emu.stats().users).toBe(report.counts.written);
  }, 120_000);
});

describe('a lone UTF-16 surrogate in the export (issue 17 §6)', () => {
  it('is dead-lettered by zitadel-validate with the field and index; the others are migrated', async () => {
    const emu = await startEmulator({ port: 0 });
    emulators.push(emu);
    const profiles = join(temp.dir, 'surrogate-profiles.ndjson');
    // An emoji cut in two by an exporting system: JSON allows the escape, Unicode does not.
    writeFileSync(profiles, `${readFileSync(generated.profiles.ndjson!, 'utf8').trimEnd()}\n{"user_id":"auth0|cut-emoji","email":"cut@example.com","email_verified":true,"given_name":"Cut","family_name":"Emoji","nickname":"cut \\ud83d"}\n`);
    const outDir = join(temp.dir, 'surrogate');
    const result = await runCli(['run', pipelines.import], { env: { ...zitadelEnv(emu, generated, outDir), AUTH0_PROFILES: profiles } });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const letter = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).find((l) => /cut-emoji/.test(JSON.stringify(l)));
    expect(letter?.stage).toBe('transform:zitadel-validate');
    expect(letter?.reason).toMatch(/^profile\.nickName: contains a lone UTF-16 surrogate \\uD83D at index 4 \(not valid Unicode: ZITADEL's JSON decoder would refuse the whole request\)$/);
    expect(readReport(outDir).counts.written).toBeGreaterThan(200);
  }, 120_000);
});
