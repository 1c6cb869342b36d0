// Issue 14 through the built CLI against the emulator, on a small export: A migrated, then B (one
// changed password, one newly blocked user, one newly verified address, one user removed) is first
// previewed with `idflow diff`, then synced with `onExisting: update`. The diff predicts exactly what
// the sync applies (compared with ZITADEL's event log); the changed user logs in with the new
// password only; a second sync changes nothing (no event); the removed user is listed, not deleted.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli } from './helpers.js';
import { emulatorUsers, zitadelEnv } from './zitadel-support.js';

const temp = makeTempDir('idflow-sync-e2e-');
let generated: GeneratedExport;
let emu: RunningEmulator;

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'a'), users: 60, seed: 14, formats: ['ndjson'] });
}, 120_000);
beforeEach(async () => {
  emu = await startEmulator({ port: 0, db: ':memory:' });
});
afterEach(async () => {
  await emu?.close();
});
afterAll(() => temp.cleanup());

interface EventLine {
  type: { type: string };
  aggregate: { id: string };
}

async function userEvents(): Promise<string[]> {
  const response = await fetch(`${emu.url}/admin/v1/events/_search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ aggregateTypes: ['user'], asc: true, limit: 1_000_000 }),
  });
  return (((await response.json()) as { events?: EventLine[] }).events ?? []).map((e) => `${e.aggregate.id} ${e.type.type}`);
}

async function logsIn(userId: string, password: string): Promise<boolean> {
  const response = await fetch(`${emu.url}/v2/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ checks: { user: { userId }, password: { password } } }),
  });
  return response.status === 200 || response.status === 201;
}

type Profile = { user_id: string; email: string; email_verified?: boolean; blocked?: boolean; [key: string]: unknown };
type PasswordLine = { _id: { $oid: string }; email: string; passwordHash?: string; [key: string]: unknown };

/** Export B: A with one password changed, one user blocked, one address verified, one user removed. */
function exportB(migrated: Set<string>, name: string) {
  // The generated export holds malformed lines on purpose: they stay as they are (raw text).
  const parsed = <T>(file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): T | string => {
        try {
          return JSON.parse(line) as T;
        } catch {
          return line;
        }
      });
  const profiles = parsed<Profile>(generated.profiles.ndjson!);
  const passwords = parsed<PasswordLine>(generated.passwords).filter((p): p is PasswordLine => typeof p !== 'string');
  const passwordText = readFileSync(generated.passwords, 'utf8');
  const logins = generated.logins.filter((l) => migrated.has(l.user_id) && l.hashKind.startsWith('bcrypt'));
  const [changed, donor, blocked, removed] = logins;
  const hashOf = (email: string) => passwords.find((p) => p.email === email)?.passwordHash as string;
  const objects = profiles.filter((p): p is Profile => typeof p !== 'string');
  const verified = objects.find((p) => migrated.has(p.user_id) && p.email_verified === false && ![changed, blocked, removed].some((l) => l.user_id === p.user_id))!;
  const kept = profiles
    .filter((p) => typeof p === 'string' || p.user_id !== removed.user_id)
    .map((p) => (typeof p === 'string' ? p : JSON.stringify(p.user_id === blocked.user_id ? { ...p, blocked: true } : p.user_id === verified.user_id ? { ...p, email_verified: true } : p)));
  const profilesB = join(temp.dir, `${name}-b-profiles.ndjson`);
  const passwordsB = join(temp.dir, `${name}-b-passwords.ndjson`);
  writeFileSync(profilesB, `${kept.join('\n')}\n`);
  writeFileSync(passwordsB, passwordText.replace(hashOf(changed.email), hashOf(donor.email)));
  return { profilesB, passwordsB, changed, donor, blocked, removed, verified };
}

describe('idflow diff', () => {
  it('refuses a sink that cannot compare without writing (exit 2)', async () => {
    const env = zitadelEnv(emu, generated, join(temp.dir, 'out-file'));
    const result = await runCli(['diff', join(repoRoot, 'pipelines', 'auth0-to-file.yaml')], { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/sink\.use: idflow diff needs a sink that can compare without writing/);
  });
});

describe.each([
  { label: 'per-user v2', file: 'auth0-to-zitadel-v2.yaml' },
  { label: 'bulk import', file: 'auth0-to-zitadel.yaml' },
])('sync before cutover, $label pipeline (idflow diff, onExisting: update)', ({ file }) => {
  const pipeline = join(repoRoot, 'pipelines', file);

  it('previews exactly what the sync applies, converges, and changes nothing the second time', async () => {
    const envA = zitadelEnv(emu, generated, join(temp.dir, `${file}-out-a`), { ZITADEL_RATE_LIMIT: '0', ZITADEL_CONCURRENCY: '8' });
    const first = await runCli(['run', pipeline], { env: envA });
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const migrated = new Set((await emulatorUsers(emu)).map((u) => u.userId));
    const b = exportB(migrated, file);
    const outB = join(temp.dir, `${file}-out-b`);
    const envB = { ...envA, AUTH0_PROFILES: b.profilesB, AUTH0_PASSWORDS: b.passwordsB, OUT_DIR: outB };
    const before = await userEvents();

    const diff = await runCli(['diff', pipeline, '--set', 'sink.with.onExisting=update'], { env: envB });
    expect(diff.code, diff.stderr.slice(-2000)).toBe(0);
    expect(await userEvents()).toEqual(before);
    const diffFile = join(outB, 'diff.ndjson');
    expect(statSync(diffFile).mode & 0o777).toBe(0o600);
    const lines = readNdjson<{ id: string; action: string; changes?: { [part: string]: unknown } }>(diffFile);
    const updates = Object.fromEntries(lines.filter((l) => l.action === 'update').map((l) => [l.id, Object.keys(l.changes ?? {})]));
    expect(updates).toEqual({ [b.changed.user_id]: ['password'], [b.blocked.user_id]: ['state'], [b.verified.user_id]: ['emailVerified'] });
    expect(lines.filter((l) => l.action === 'missing').map((l) => l.id)).toEqual([b.removed.user_id]);
    expect(lines.filter((l) => l.action === 'create')).toEqual([]);
    expect(lines.filter((l) => l.action === 'unchanged').length).toBe(migrated.size - 4);
    expect(readFileSync(diffFile, 'utf8')).not.toMatch(/\$2[aby]\$/);
    expect(diff.stdout).toMatch(/would update\s+3 {2}\((emailVerified|password|state) 1, (emailVerified|password|state) 1, (emailVerified|password|state) 1\)/);
    expect(diff.stdout).toMatch(/missing\s+1/);

    const sync = await runCli(['run', pipeline, '--set', 'sink.with.onExisting=update'], { env: envB });
    expect(sync.code, sync.stderr.slice(-2000)).toBe(0);
    const applied = (await userEvents()).slice(before.length).sort();
    expect(applied).toEqual(
      [`${b.changed.user_id} user.human.password.changed`, `${b.blocked.user_id} user.locked`, `${b.verified.user_id} user.human.email.verified`].sort(),
    );
    const report = JSON.parse(readFileSync(join(outB, 'report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ written: 0, updated: 3, unchanged: migrated.size - 4 });
    expect(report.updatedByPart).toEqual({ password: 1, state: 1, emailVerified: 1 });
    expect(report.missing).toEqual({ count: 1, deactivated: 0, path: join(outB, 'missing.ndjson') });
    expect(readNdjson(report.missing.path)).toEqual([{ id: b.removed.user_id, userName: expect.any(String), state: 'USER_STATE_ACTIVE' }]);
    expect(sync.stdout).toMatch(/updated\s+3/);

    expect(await logsIn(b.changed.user_id, b.donor.password)).toBe(true);
    expect(await logsIn(b.changed.user_id, b.changed.password)).toBe(false);
    expect(await logsIn(b.removed.user_id, b.removed.password)).toBe(true);

    const settled = await userEvents();
    const again = await runCli(['run', pipeline, '--fresh', '--set', 'sink.with.onExisting=update'], { env: envB });
    expect(again.code, again.stderr.slice(-2000)).toBe(0);
    expect(await userEvents()).toEqual(settled);
    const second = JSON.parse(readFileSync(join(outB, 'report.json'), 'utf8'));
    expect(second.counts).toMatchObject({ written: 0, updated: 0, unchanged: migrated.size - 1 });
  });
});
