// Auth0 account linking through the built CLI: a user who signed up with Google and linked a
// database account keeps the password Auth0 lets them sign in with. The bulk export holds only the
// Google (primary) profile, with the database account in its identities[]; the password export
// holds that account's hash under its own id. idflow joins the two, imports the user into the
// ZITADEL emulator with the hash, and the user logs in there with the old password.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bcryptCost10, generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli } from './helpers.js';

const temp = makeTempDir('idflow-linked-e2e-');
const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
let emu: RunningEmulator | undefined;
afterAll(async () => {
  await emu?.close();
  temp.cleanup();
});

const db = 'Username-Password-Authentication';
const linkedOid = '6b00000000000000000000aa';
const login = { email: 'linked.user@example.com', password: bcryptCost10[1].password };

describe('a database account linked under a social primary', () => {
  it('is imported with the database password, and the user logs in with it', async () => {
    const exp = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: 60, seed: 21, formats: ['ndjson'] });
    const profile = {
      user_id: 'google-oauth2|108300000000000099',
      email: login.email,
      email_verified: true,
      name: 'Linked User',
      given_name: 'Linked',
      family_name: 'User',
      identities: [
        { connection: 'google-oauth2', provider: 'google-oauth2', user_id: '108300000000000099', isSocial: true },
        { connection: db, provider: 'auth0', user_id: linkedOid, isSocial: false, profileData: { email: login.email, email_verified: true } },
      ],
    };
    const record = { _id: { $oid: linkedOid }, email_verified: true, email: login.email, passwordHash: bcryptCost10[1].hash, tenant: 'acme', connection: db };
    appendFileSync(exp.profiles.ndjson!, `\n${JSON.stringify(profile)}\n`);
    appendFileSync(exp.passwords, `\n${JSON.stringify(record)}\n`);

    emu = await startEmulator({ port: 0 });
    const env = {
      AUTH0_PROFILES: exp.profiles.ndjson!,
      AUTH0_PASSWORDS: exp.passwords,
      ZITADEL_URL: emu.url,
      ZITADEL_PAT: emu.pat,
      ZITADEL_ORG_ID: emu.orgId,
      OUT_DIR: join(temp.dir, 'out'),
      // The generator's pbkdf2/md5 users are refused by a bcrypt-only instance: not this test's subject.
      IDFLOW_MAX_REJECTS: '100%',
    };
    const run = await runCli(['run', pipeline], { env });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as { metrics: { auth0: { [metric: string]: number } } };
    expect(report.metrics.auth0['joined-by-linked-identity']).toBe(1);
    expect(report.metrics.auth0['with-password']).toBe(exp.expected.counts.present + 1);
    // Its record is no orphan: only the generator's orphans are dead-lettered as such.
    const orphans = readNdjson<{ reason: string; record?: { oid?: string } }>(join(temp.dir, 'out', 'dead-letter.ndjson')).filter((l) => l.reason === 'orphan password');
    expect(orphans).toHaveLength(exp.expected.orphans.length);

    const verified = await runCli(['verify', pipeline, '--login', `${login.email}:${login.password}`], { env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('logins: 1 of 1 succeeded');
  }, 180_000);
});
