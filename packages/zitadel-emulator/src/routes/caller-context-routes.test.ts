// ListMyZitadelPermissions and GetMyOrg in the org of `x-zitadel-orgid`, as ZITADEL's auth
// interceptor and queries answer them (caller-context-routes.ts cites the sources).
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

async function read(emulator: RunningEmulator, method: 'GET' | 'POST', path: string, token: string, orgId?: string) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(orgId ? { 'x-zitadel-orgid': orgId } : {}) },
    body: method === 'POST' ? '{}' : undefined,
  });
  return { status: response.status, body: (await response.json()) as { result?: string[] } };
}

const permissionsPath = '/auth/v1/permissions/zitadel/me/_search';

describe('the caller\'s own context', () => {
  it('an IAM_OWNER has iam.write and user.write in any org; an org user manager only user.write in its own', async () => {
    const emulator = await useEmulator({ orgs: ['org-a', 'org-b'] });
    const owner = await read(emulator, 'POST', permissionsPath, emulator.pat, 'org-a');
    expect(owner.status).toBe(200);
    expect(owner.body.result).toEqual(expect.arrayContaining(['iam.write', 'user.write', 'org.read', 'events.read']));
    const manager = await emulator.createServiceUser({ role: 'ORG_USER_WRITER', orgId: 'org-a' });
    const own = await read(emulator, 'POST', permissionsPath, manager.pat, 'org-a');
    expect(own.body.result).toContain('user.write');
    expect(own.body.result).not.toContain('iam.write');
    // No membership in org-b: an empty list, which protojson leaves out.
    expect(await read(emulator, 'POST', permissionsPath, manager.pat, 'org-b')).toEqual({ status: 200, body: {} });
  });

  it('an x-zitadel-orgid naming no org is PermissionDenied AUTH-Bs7Ds, for both calls', async () => {
    const emulator = await useEmulator();
    for (const [method, path] of [['POST', permissionsPath], ['GET', '/management/v1/orgs/me']] as const) {
      const answer = await read(emulator, method, path, emulator.pat, 'no-such-org');
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: 7, details: [{ id: 'AUTH-Bs7Ds' }] });
    }
  });

  it('GetMyOrg names the org and its state', async () => {
    const emulator = await useEmulator({ orgs: [{ id: 'org-a', name: 'Acme' }] });
    expect(await read(emulator, 'GET', '/management/v1/orgs/me', emulator.pat, 'org-a')).toEqual({
      status: 200,
      body: { org: { id: 'org-a', state: 'ORG_STATE_ACTIVE', name: 'Acme' } },
    });
  });
});
