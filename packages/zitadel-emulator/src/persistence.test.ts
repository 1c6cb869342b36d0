import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '@idflow/password-hashes';
import { afterEach, describe, expect, it } from 'vitest';
import { call, humanUser, importRequest } from './emulator.test-helpers.js';
import { startEmulator } from './server.js';

let tempDir: string | undefined;
afterEach(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe('persistence with a db file', () => {
  it('keeps orgs, users, metadata, events, sessions and credentials across a restart', async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'emu-db-'));
    const db = join(tempDir, 'zitadel.sqlite');
    const first = await startEmulator({ db, port: 0 });
    const serviceUser = await first.createServiceUser();
    const hash = await hashPassword('bcrypt', 'Password1!', { cost: 10 });
    await call(
      first,
      'POST',
      '/admin/v1/import',
      importRequest(first.orgId, [{ userId: 'keep', user: humanUser('keep', { userName: 'keep', hashedPassword: { value: hash } }) }], {
        userMetadata: [{ id: 'keep', key: 'k', value: Buffer.from('v').toString('base64') }],
      }),
    );
    const before = first.stats();
    // The database holds password hashes: owner-only, WAL included.
    expect((await stat(db)).mode & 0o777).toBe(0o600);
    expect((await stat(`${db}-wal`)).mode & 0o777).toBe(0o600);
    const { orgId, pat } = first;
    await first.close();

    const second = await startEmulator({ db, port: 0 });
    try {
      expect(second.orgId).toBe(orgId); // the ready org is reused, not created again
      expect(second.pat).not.toBe(pat);
      const after = second.stats();
      expect({ users: after.users, metadata: after.metadata, events: after.events, orgs: after.orgs }).toEqual({
        users: before.users,
        metadata: before.metadata,
        events: before.events,
        orgs: before.orgs,
      });
      // The first run's PAT and service user still work: credentials persist too.
      expect((await call(second, 'GET', '/v2/users/keep', undefined, pat)).status).toBe(200);
      expect((await call(second, 'GET', '/v2/users/keep', undefined, serviceUser.pat)).status).toBe(200);
      const session = await call(second, 'POST', '/v2/sessions', { checks: { user: { loginName: 'keep' }, password: { password: 'Password1!' } } });
      expect(session.status).toBe(201);
      const again = await call(second, 'POST', '/admin/v1/import', importRequest(orgId, [{ userId: 'keep', user: humanUser('keep2') }]));
      expect(again.body.errors[1].message).toBe('ID=COMMAND-ziuna Message=Errors.User.AlreadyExisting');
    } finally {
      await second.close();
    }
  });
});

describe('startup', () => {
  it('reports a port in use and can start again on the same db afterwards', async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'emu-db-'));
    const db = join(tempDir, 'zitadel.sqlite');
    const first = await startEmulator({ db, port: 0 });
    try {
      await expect(startEmulator({ db, port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
    const again = await startEmulator({ db, port: 0 });
    await again.close();
  });
});
