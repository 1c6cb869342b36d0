// Auth0 → ZITADEL with the export made by idflow itself, through the built CLI: the
// auth0-api-to-zitadel pipeline against the Auth0 stand-in and the ZITADEL emulator (exact
// migration, real logins, no secret in any output), Ctrl-C while waiting for the job and during
// the import then a re-run on the same job and download, Auth0 failures with exit 1, a wrong
// password file stopping the run before anything is written then a plain re-run, `idflow
// emulator --auth0` wired end to end, and `idflow demo --from-api`.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Auth0StandInOptions, type RunningAuth0StandIn, type RunningEmulator, startAuth0StandIn, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli, startCli, waitFor } from './helpers.js';
import { emulatorUserIds, emulatorUsers, expectExactMigration } from './zitadel-support.js';

const USERS = Number(process.env.IDFLOW_E2E_AUTH0_API_USERS ?? 10_000);
const pipeline = join(repoRoot, 'pipelines', 'auth0-api-to-zitadel.yaml');
const temp = makeTempDir('idflow-auth0-api-e2e-');
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});
afterAll(() => temp.cleanup());

async function standIn(options: Auth0StandInOptions = {}): Promise<RunningAuth0StandIn> {
  const started = await startAuth0StandIn({ users: 300, ...options });
  running.push(started);
  return started;
}

async function zitadel(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const started = await startEmulator({ port: 0, verifiers: ['bcrypt', 'pbkdf2', 'md5plain'], ...options });
  running.push(started);
  return started;
}

function env(auth0: RunningAuth0StandIn, emu: RunningEmulator, outDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AUTH0_DOMAIN: auth0.url,
    AUTH0_CLIENT_ID: auth0.clientId,
    AUTH0_CLIENT_SECRET: auth0.clientSecret,
    AUTH0_PASSWORDS: auth0.passwordsPath,
    ZITADEL_URL: emu.url,
    ZITADEL_PAT: emu.pat,
    ZITADEL_ORG_ID: emu.orgId,
    ZITADEL_VERIFIERS: 'bcrypt,pbkdf2,md5plain',
    OUT_DIR: outDir,
    ...extra,
  };
}

/** Every output file and stream of a run, to search for secrets. */
function allOutputs(outDir: string, streams: string[]): string {
  const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.gz'));
  return [...streams, ...files.map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))].join('\n');
}

/** The download decompressed beside it, for the line-by-line exactness check. */
function decompressedDownload(outDir: string): { plain: string; gz: string } {
  const gz = join(outDir, 'auth0-users.json.gz');
  const plain = join(outDir, 'auth0-users.plain.ndjson');
  writeFileSync(plain, gunzipSync(readFileSync(gz)));
  return { plain, gz };
}

describe('pipelines/auth0-api-to-zitadel.yaml through the built CLI', () => {
  it(`exports ${USERS} users through the Auth0 job, migrates them exactly once, logs users in, and never prints a secret`, async () => {
    const auth0 = await standIn({ users: USERS });
    const emu = await zitadel();
    const outDir = join(temp.dir, 'once');
    const result = await runCli(['run', pipeline], { env: env(auth0, emu, outDir) });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stderr).toMatch(/Auth0 export job job_\w+ created \(all connections, fields user_id, identities, email,/);
    expect(result.stderr).toMatch(new RegExp(`Auth0 export job job_\\w+: ${USERS} users downloaded`));

    const { plain, gz } = decompressedDownload(outDir);
    const { report } = await expectExactMigration(emu, plain, outDir, gz);
    expect(report.metrics['auth0-management']).toMatchObject({ 'export.jobs-created': 1, 'export.users': USERS });
    expect(statSync(gz).mode & 0o777).toBe(0o600);
    expect(auth0.stats()).toMatchObject({ tokensIssued: 1, jobsCreated: 1, downloads: 1, requestsBeforeReset: 0 });

    const ids = new Set(await emulatorUserIds(emu));
    const logins = auth0.generated.logins.filter((login) => ids.has(login.user_id)).slice(0, 4);
    expect(logins.length).toBe(4);
    const verified = await runCli(['verify', pipeline, ...logins.flatMap((l) => ['--login', `${l.email}:${l.password}`])], { env: env(auth0, emu, outDir) });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/0 missing, 0 different/);
    expect(verified.stdout).toContain('logins: 4 of 4 succeeded');
    // Issue 17 defaults: every user ACTIVE (LOCKED when blocked in Auth0), nothing INITIAL, no message sent.
    const blocked = new Set(
      readFileSync(plain, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"blocked":true'))
        .map((line) => (JSON.parse(line) as { user_id: string }).user_id),
    );
    expect(blocked.size).toBeGreaterThan(0);
    const wrongStates = (await emulatorUsers(emu)).filter((u) => u.state !== (blocked.has(u.userId) ? 'USER_STATE_LOCKED' : 'USER_STATE_ACTIVE'));
    expect(wrongStates.map((u) => `${u.userId} ${u.state}`)).toEqual([]);
    expect(emu.stats().notifications).toEqual({ initEmails: 0, verificationEmails: 0, verificationSms: 0 });
    expect(verified.stdout).toMatch(/0 missing, 0 different, 0 in a wrong state/);
    expect(verified.stdout).toMatch(new RegExp(`states: [\\d,]+ active, 0 initial, ${blocked.size} locked, 0 inactive`));
    expect(verified.stdout).toContain('0 init e-mails, 0 verification e-mails, 0 verification SMS');
    // verify read the kept download: still one job, one download.
    expect(auth0.stats()).toMatchObject({ jobsCreated: 1, downloads: 1 });

    const outputs = allOutputs(outDir, [result.stdout, result.stderr, verified.stdout, verified.stderr]);
    for (const secret of [...auth0.secrets(), emu.pat]) expect(outputs).not.toContain(secret);
    expect(outputs).not.toContain('signature=');

    // Run again: the checkpoint says completed and the export is not made again.
    const again = await runCli(['run', pipeline], { env: env(auth0, emu, outDir) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/pipeline already completed/);
    expect(auth0.stats()).toMatchObject({ jobsCreated: 1, downloads: 1 });
  }, 600_000);

  it('Ctrl-C while waiting for the job and during the import; re-runs go on with the same job and download, exactly once', async () => {
    const auth0 = await standIn({ users: 3000, job: { pendingPolls: 30 } });
    // Slow writes, so the import is still running when it is interrupted.
    const emu = await zitadel({ perUserWriteCostMs: 2 });
    const outDir = join(temp.dir, 'interrupted');
    const slowPolls = ['--set', 'source.with.poll.initialDelay=50ms', '--set', 'source.with.poll.maxDelay=50ms', '--set', 'sink.with.batchSize=100'];

    const waiting = startCli(['run', pipeline, ...slowPolls], { env: env(auth0, emu, outDir) });
    await waitFor(() => auth0.stats().jobStatusReads >= 3, 'the job being polled');
    waiting.child.kill('SIGINT');
    const first = await waiting.done;
    expect(first.code, first.stderr).toBe(130);
    expect(existsSync(join(outDir, 'auth0-users.json.gz'))).toBe(false);

    const importing = startCli(['run', pipeline, ...slowPolls], { env: env(auth0, emu, outDir) });
    await waitFor(() => emu.stats().users >= 300, 'some users imported', 120_000);
    importing.child.kill('SIGINT');
    const second = await importing.done;
    expect(second.code, second.stderr).toBe(130);
    expect(second.stderr).toMatch(/going on with Auth0 export job job_\w+/);

    const last = await runCli(['run', pipeline], { env: env(auth0, emu, outDir) });
    expect(last.code, last.stderr.slice(-3000)).toBe(0);
    expect(last.stderr).toMatch(/reusing the export of Auth0 job job_\w+ downloaded/);
    const { plain, gz } = decompressedDownload(outDir);
    // The last run resumed inside the download rather than starting over.
    expect(last.stderr).toMatch(/resuming after .*auth0-users\.json\.gz:\d+/);
    await expectExactMigration(emu, plain, outDir, gz);
    expect(auth0.stats()).toMatchObject({ jobsCreated: 1, downloads: 1 });
  }, 600_000);

  it('ends with exit 1 and a precise message when the job fails, the download link keeps expiring, or Auth0 refuses the credentials', async () => {
    const failing = await standIn({ job: { fail: true } });
    const emu = await zitadel();
    const failed = await runCli(['run', pipeline, '--set', 'source.with.poll.initialDelay=10ms'], { env: env(failing, emu, join(temp.dir, 'job-failed')) });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/idflow: Auth0 export job job_\w+ failed: The export job failed\.; run again to start a new export job/);

    const expiring = await standIn({ faults: { expiredDownloads: 10 } });
    const expired = await runCli(['run', pipeline, '--set', 'source.with.poll.initialDelay=10ms'], { env: env(expiring, emu, join(temp.dir, 'link-expired')) });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/idflow: could not download the export of Auth0 job job_\w+ from http:\/\/127\.0\.0\.1:\d+\/exports\/job_\w+\/idflow-stand-in\.json\.gz in 3 tries; last: HTTP 403 AccessDenied: Request has expired: the link expired or was refused\. Auth0 download links are valid for 60 s/);
    expect(expired.stderr).not.toContain('signature=');

    const auth0 = await standIn();
    const refusedEnv = env(auth0, emu, join(temp.dir, 'refused'), { AUTH0_CLIENT_SECRET: 'wrong-secret-5e0a' });
    const refused = await runCli(['run', pipeline], { env: refusedEnv });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`idflow: Auth0 refused the client credentials at ${auth0.url}/oauth/token (401 Unauthorized, access_denied)`);
    expect(refused.stdout + refused.stderr).not.toContain('wrong-secret-5e0a');
  }, 120_000);

  it('a wrong password file stops the run (exit 1) before anything is written; fixed, a plain re-run migrates every user with its hash', async () => {
    const auth0 = await standIn({ users: 400 });
    const emu = await zitadel();
    const outDir = join(temp.dir, 'wrong-passwords');
    // The support export as received: still OpenPGP-encrypted (a session key packet, then binary).
    const encrypted = join(temp.dir, 'passwords.ndjson.pgp');
    writeFileSync(encrypted, Buffer.concat([Buffer.from([0x85, 0x01, 0x0c, 0x03, 0x9c, 0x37, 0x7c, 0xbd]), Buffer.alloc(400, 0xa7)]));

    // The source takes the auth0 source's password-file keys (a misspelt one is refused).
    const keys = ['--set', 'source.with.passwordCheck.minShare=0.6', '--set', 'source.with.passwordsEncoding=utf-8', '--set', 'source.with.encoding=auto'];
    const valid = await runCli(['validate', pipeline, ...keys], { env: env(auth0, emu, outDir) });
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    const misspelt = await runCli(['validate', pipeline, '--set', 'source.with.passwordCheck.minShar=0.6'], { env: env(auth0, emu, outDir) });
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toMatch(/source\.with\.passwordCheck.*minShar/);

    const stopped = await runCli(['run', pipeline], { env: env(auth0, emu, outDir, { AUTH0_PASSWORDS: encrypted }) });
    expect(stopped.code, stopped.stderr.slice(-3000)).toBe(1);
    expect(stopped.stderr).toMatch(/idflow: password export .*passwords\.ndjson\.pgp: only 0 of the first \d+ database users got a password hash/);
    expect(stopped.stderr).toContain('the file looks OpenPGP-encrypted (binary packets): decrypt it first (gpg --decrypt)');
    expect(stopped.stderr).toContain('Nothing was written.');
    expect(emu.stats().users).toBe(0);
    expect(readFileSync(join(outDir, 'dead-letter.ndjson'), 'utf8')).toBe('');
    // The stopped run's checkpoint acknowledged nothing.
    expect(JSON.parse(readFileSync(join(outDir, 'checkpoint.json'), 'utf8'))).toMatchObject({ completed: false, watermark: 0 });

    // The same command with the decrypted file: no --fresh needed, every hash joined.
    const fixed = await runCli(['run', pipeline], { env: env(auth0, emu, outDir) });
    expect(fixed.code, fixed.stderr.slice(-3000)).toBe(0);
    expect(fixed.stderr).toMatch(/starting over: checkpoint .*checkpoint\.json is of a run that ended before any user was written or refused, and since then the inputs changed/);
    expect(fixed.stderr).not.toContain('--fresh');
    const { plain, gz } = decompressedDownload(outDir);
    const { report } = await expectExactMigration(emu, plain, outDir, gz);
    // The export made for the stopped run was reused (its counts start over with the run).
    expect(report.metrics['auth0-management']).toMatchObject({ 'with-password': auth0.generated.expected.counts.present, 'export.reused': 1 });
    expect(auth0.stats()).toMatchObject({ jobsCreated: 1, downloads: 1 });

    const ids = new Set(await emulatorUserIds(emu));
    const logins = auth0.generated.logins.filter((login) => ids.has(login.user_id)).slice(0, 3);
    const verified = await runCli(['verify', pipeline, ...logins.flatMap((l) => ['--login', `${l.email}:${l.password}`])], { env: env(auth0, emu, outDir) });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('logins: 3 of 3 succeeded');
  }, 300_000);

  it('idflow emulator --auth0 serves both APIs; the pipeline runs against what its banner prints', async () => {
    const server = startCli(['emulator', '--port', '0', '--auth0', '--auth0-users', '200', '--verifiers', 'bcrypt,pbkdf2,md5plain']);
    running.push({
      async close() {
        server.child.kill('SIGINT');
        await server.done;
      },
    });
    await waitFor(() => server.output().stdout.includes('Press Ctrl+C to stop.'), 'the emulator banner', 60_000);
    const banner = server.output().stdout;
    const value = (pattern: RegExp) => pattern.exec(banner)?.[1] ?? '';
    const outDir = join(temp.dir, 'emulator-command');
    const result = await runCli(['run', pipeline], {
      env: {
        AUTH0_DOMAIN: value(/AUTH0_DOMAIN=(\S+)/),
        AUTH0_CLIENT_ID: value(/AUTH0_CLIENT_ID=(\S+)/),
        AUTH0_CLIENT_SECRET: value(/AUTH0_CLIENT_SECRET=(\S+)/),
        AUTH0_PASSWORDS: value(/AUTH0_PASSWORDS=(\S+)/),
        ZITADEL_URL: value(/ZITADEL emulator listening on (\S+)/),
        ZITADEL_PAT: value(/PAT \(IAM_OWNER\): (\S+)/),
        ZITADEL_ORG_ID: value(/org: (\S+)/),
        ZITADEL_VERIFIERS: 'bcrypt,pbkdf2,md5plain',
        OUT_DIR: outDir,
      },
    });
    expect(result.code, banner + result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/written\s+1\d\d\n/);
    expect(banner).toMatch(/connections: .*Username-Password-Authentication con_[A-Za-z0-9]{16}/);
    server.child.kill('SIGINT');
    expect((await server.done).code).toBe(0);
    // The stand-in's temp tenant (password export included) is removed on exit.
    expect(existsSync(value(/AUTH0_PASSWORDS=(\S+)/))).toBe(false);
  }, 120_000);
});

describe('idflow demo --from-api', () => {
  it('exports through the Auth0 stand-in, migrates into the embedded emulator and logs users in', async () => {
    const out = join(temp.dir, 'demo');
    const result = await runCli(['demo', '--from-api', '--users', '300', '--logins', '5', '--out', out], { cwd: temp.dir });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/exported:\s+300 users by 1 Auth0 export job \(\d+ status reads, 1 download\)/);
    expect(result.stdout).toContain('every migrated user found; 5 real logins succeeded');
    expect(existsSync(join(out, 'migration', 'auth0-users.json.gz'))).toBe(true);
  }, 120_000);
});
