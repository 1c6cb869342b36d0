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

describe('a target that answers 200 {} to everything (issue 13 §4)', () => {
  let stub: Server;
  let url: string;
  beforeAll(async () => {
    stub = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  it.each(Object.entries(pipelines))('%s pipeline: nobody is counted as written, exit 1', async (kind, pipeline) => {
    const outDir = join(temp.dir, `stub-${kind}`);
    const env = { AUTH0_PROFILES: generated.profiles.ndjson!, AUTH0_PASSWORDS: generated.passwords, ZITADEL_URL: url, ZITADEL_PAT: 'stub-pat', ZITADEL_ORG_ID: 'org-1', OUT_DIR: outDir };
    const result = await runCli(['run', pipeline, ...quickRetries], { env });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    // Through the preflight, once the runner calls it, the run stops before sending any user.
    const report = readReport(outDir);
    expect(report.counts.written).toBe(0);
    if (report.counts.undeliverable > 0) {
      const reasons = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).map((l) => l.reason);
      expect(reasons.some((r) => /the write is not proven/.test(r))).toBe(true);
    } else {
      expect(result.stderr).toMatch(/lacks the permission/);
    }
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
    expect(report.counts.undeliverable).toBe(blocked().length);
    const letters = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).filter((l) => /blocked in Auth0/.test(l.reason));
    expect(letters).toHaveLength(blocked().length);
    expect(letters[0].reason).toMatch(/blocked in Auth0 but not locked in ZITADEL \(it can still log in\): HTTP 503/);
    const active = (await emulatorUsers(emu)).filter((u) => blocked().includes(u.userId));
    expect(active.map((u) => u.state)).toEqual(blocked().map(() => 'USER_STATE_ACTIVE'));
    await emu.close();

    // The target fixed: a new run finds those users present and locks them.
    emu = await startEmulator({ port: 0, db, pat });
    emulators.push(emu);
    const second = await runCli(['run', pipelines.v2, '--fresh'], { env: env() });
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
    expect(result.stderr).toMatch(/refused the first 3 pbkdf2 password hashes with Errors\.Hash\.NotSupported \(CRYPT-2xK7d\) and accepted none: its "pbkdf2" verifier is not enabled/);
    const refused = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).filter((l) => /NotSupported/.test(l.reason));
    expect(refused).toEqual([]);
  }, 120_000);
});

describe('a lone UTF-16 surrogate in the export (issue 17 §6)', () => {
  it('is dead-lettered by zitadel-validate with the field and index; the others are migrated', async () => {
    const emu = await startEmulator({ port: 0 });
    emulators.push(emu);
    const small = await generateAuth0Export({ dir: join(temp.dir, 'surrogate-export'), users: 20, seed: 3, formats: ['ndjson'] });
    const profiles = small.profiles.ndjson!;
    // An emoji cut in two by an exporting system: JSON allows the escape, Unicode does not.
    writeFileSync(profiles, `${readFileSync(profiles, 'utf8').trimEnd()}\n{"user_id":"auth0|cut-emoji","email":"cut@example.com","email_verified":true,"given_name":"Cut","family_name":"Emoji","nickname":"cut \\ud83d"}\n`);
    const outDir = join(temp.dir, 'surrogate');
    const result = await runCli(['run', pipelines.import], { env: zitadelEnv(emu, small, outDir) });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const letter = readNdjson<DeadLetter>(join(outDir, 'dead-letter.ndjson')).find((l) => /cut-emoji/.test(JSON.stringify(l)));
    expect(letter?.stage).toBe('transform:zitadel-validate');
    expect(letter?.reason).toMatch(/^profile\.nickName: contains a lone UTF-16 surrogate \\uD83D at index 4 \(not valid Unicode: ZITADEL's JSON decoder would refuse the whole request\)$/);
    expect(readReport(outDir).counts.written).toBeGreaterThan(10);
  }, 120_000);
});
