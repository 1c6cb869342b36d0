// Issue 17 §10 end to end: an Auth0 database connection with usernames, migrated by the shipped
// pipeline through the built CLI into the emulator over loopback. The preset names each user by its
// Auth0 username, else its e-mail (plugins/field-mapper/src/compile-config.ts; zitadel-tools does the
// same in cmd/migration/auth0/migration.go createHumanUsers).
// ZITADEL then logs a user in by that login name through the session API (Queries.GetUserByLoginName,
// internal/query/user.go: user names, ignoring case) and, since the login policy's
// DisableLoginWithEmail is unset by default (internal/domain/policy_login.go), by its e-mail through
// the login UI's lookup (Login V2 searchUsers, mirrored by findUserLikeHostedLogin). Every login here
// is a real password check of the migrated hash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, type KnownLogin, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, findUserLikeHostedLogin, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli } from './helpers.js';
import { emulatorUsers, zitadelEnv } from './zitadel-support.js';

const verifiers = ['bcrypt', 'pbkdf2', 'md5plain'] as const;
const temp = makeTempDir('idflow-login-names-e2e-');
let emu: RunningEmulator;
let generated: GeneratedExport;
/** Known logins of migrated, ACTIVE users, with their Auth0 username when they have one. */
let logins: (KnownLogin & { username?: string })[] = [];

beforeAll(async () => {
  generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 800, seed: 1710, formats: ['ndjson'] });
  const usernames = new Map<string, string | undefined>();
  for (const line of readFileSync(generated.profiles.ndjson!, 'utf8').split('\n')) {
    try {
      const profile = JSON.parse(line) as { user_id: string; username?: string };
      usernames.set(profile.user_id, profile.username?.trim() || undefined);
    } catch {
      // malformed lines are the source's business
    }
  }
  emu = await startEmulator({ port: 0, verifiers: [...verifiers] });
  const env = zitadelEnv(emu, generated, join(temp.dir, 'out'), { ZITADEL_VERIFIERS: verifiers.join(','), ZITADEL_RATE_LIMIT: '0' });
  const run = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml')], { env });
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  const active = new Set((await emulatorUsers(emu)).filter((u) => u.state === 'USER_STATE_ACTIVE').map((u) => u.userId));
  logins = generated.logins.filter((l) => active.has(l.user_id)).map((l) => ({ ...l, username: usernames.get(l.user_id) }));
}, 600_000);
afterAll(async () => {
  await emu?.close();
  temp.cleanup();
});

function session(user: { loginName: string } | { userId: string }, password: string) {
  return fetch(`${emu.url}/v2/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ checks: { user, password: { password } } }),
  });
}

/** The login UI's two steps: find the user behind the input, then check the password on a session. */
async function loginLikeHostedLogin(input: string, password: string): Promise<string> {
  const found = await findUserLikeHostedLogin(emu.url, emu.pat, input);
  if (!found.found) return `not found (${found.reason})`;
  const answer = await session({ userId: found.userId }, password);
  return answer.status === 201 ? found.userId : `refused ${answer.status}`;
}

describe('idflow run auth0-to-zitadel.yaml: users log in with their Auth0 username or their e-mail (issue 17 §10)', () => {
  it('a user with an Auth0 username logs in with it (any case) on the session API, and with its e-mail through the login UI', async () => {
    const withUsername = logins.filter((l) => l.username);
    expect(withUsername.length).toBeGreaterThan(3);
    for (const login of withUsername) {
      const label = `${login.user_id} (${login.username})`;
      expect((await session({ loginName: login.username! }, login.password)).status, label).toBe(201);
      expect((await session({ loginName: login.username!.toUpperCase() }, login.password)).status, label).toBe(201);
      expect(await loginLikeHostedLogin(login.username!, login.password), label).toBe(login.user_id);
      expect(await loginLikeHostedLogin(login.email, login.password), label).toBe(login.user_id);
      // The session API itself takes login names only: the e-mail is not one of them.
      expect((await session({ loginName: login.email }, login.password)).status, label).toBe(404);
      expect((await session({ loginName: login.username! }, `${login.password}x`)).status, label).toBe(400);
    }
  });

  it('a user without a username logs in with its e-mail, which is its login name', async () => {
    const withoutUsername = logins.filter((l) => !l.username);
    expect(withoutUsername.length).toBeGreaterThan(3);
    for (const login of withoutUsername) {
      expect((await session({ loginName: login.email }, login.password)).status, login.user_id).toBe(201);
      expect(await loginLikeHostedLogin(login.email.toUpperCase(), login.password), login.user_id).toBe(login.user_id);
    }
  });
});
