// The sinks' preflight through their public contract, against the emulator over loopback (and a
// closed port, and a server that is not ZITADEL): every mistake an operator makes with the target
// fails in seconds with what, where and what to do — never a secret.
import { createServer } from 'node:net';
import { FatalError, type PreflightPlan } from '@idflow/engine';
import type { EmulatorOptions } from '@idflow/zitadel-emulator';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator.test-helpers.js';
import { createImportSink } from '../import/import-sink.js';
import { startTestTarget } from '../test-target.test-helpers.js';
import { recordingContext } from '../test-support.test-helpers.js';
import { createUsersSink } from '../users/users-sink.js';

const noTransforms: PreflightPlan = { transforms: [] };
const withIdpLinks = (idpLinks: Record<string, string>): PreflightPlan => ({ transforms: [{ use: 'field-mapper', with: { preset: 'auth0-to-zitadel', idpLinks } }] });

/** The FatalError a preflight threw (fails the test when it did not throw). */
async function refusal(preflight: Promise<void>): Promise<FatalError> {
  const error = await preflight.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'the preflight passed').toBeInstanceOf(FatalError);
  return error as FatalError;
}

type Kind = 'import' | 'users';
function sink(kind: Kind, url: string, pat: string, orgId: string, extra: { orgName?: string } = {}) {
  const ctx = recordingContext();
  const config = { url, orgId, auth: { pat }, ...extra };
  return { sink: kind === 'import' ? createImportSink(config, ctx) : createUsersSink(config, ctx), ctx };
}

describe.each(['import', 'users'] as const)('zitadel-%s preflight', (kind) => {
  it('passes against a reachable instance with the right credentials and org', async () => {
    const emu = await useEmulator();
    const { sink: opened } = sink(kind, emu.url, emu.pat, emu.orgId);
    await opened.preflight!(noTransforms);
    await opened.close();
  });

  it('a wrong port fails in seconds, naming the URL and what to check', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const { sink: opened } = sink(kind, `http://127.0.0.1:${port}`, 'some-pat', 'org-1');
    const error = await refusal(opened.preflight!(noTransforms));
    await opened.close();
    expect(error.code).toBe('TARGET_UNREACHABLE');
    expect(error.message).toBe(
      `cannot reach ZITADEL at http://127.0.0.1:${port}: connection refused (checked before reading any user). Check sink.with.url — scheme, host and port of the instance, e.g. https://my-instance.zitadel.cloud — and that it is up`,
    );
  });

  it('a refused token is named by kind, never shown', async () => {
    const emu = await useEmulator();
    const secret = 'wrong-pat-5d1e0c77';
    const { sink: opened, ctx } = sink(kind, emu.url, secret, emu.orgId);
    const error = await refusal(opened.preflight!(noTransforms));
    await opened.close();
    expect(error.code).toBe('AUTH_REFUSED');
    expect(error.message).toMatch(/refused the pat credentials \(401 Unauthenticated\)/);
    expect(JSON.stringify([error.message, ctx.logs, ctx.warnings])).not.toContain(secret);
  });

  it('an org that does not exist is named, with what to do', async () => {
    const emu = await useEmulator();
    const { sink: opened } = sink(kind, emu.url, emu.pat, 'no-such-org');
    const error = await refusal(opened.preflight!(noTransforms));
    await opened.close();
    expect(error.code).toBe('ORG_NOT_FOUND');
    expect(error.message).toMatch(new RegExp(`^organization no-such-org does not exist in ZITADEL at ${emu.url} \\(AUTH-Bs7Ds\\): check sink\\.with\\.orgId \\(ZITADEL_ORG_ID\\)`));
  });

  it('a URL that is not a ZITADEL instance says so', async () => {
    const notZitadel = await startTestTarget(() => ({ status: 404, body: { error: 'no such page' } }));
    const { sink: opened } = sink(kind, notZitadel.url, 'some-pat', 'org-1');
    const error = await refusal(opened.preflight!(noTransforms));
    await opened.close();
    await notZitadel.close();
    expect(error.code).toBe('TARGET_UNEXPECTED');
    expect(error.message).toMatch(/answered HTTP 404 to \/auth\/v1\/permissions\/zitadel\/me\/_search, which every ZITADEL instance serves: sink\.with\.url does not point at a ZITADEL instance's base URL/);
  });
});

describe('permissions', () => {
  it('the bulk import needs iam.write: an org user manager is told to get IAM_OWNER', async () => {
    const emu = await useEmulator();
    const manager = await emu.createServiceUser({ role: 'ORG_USER_WRITER', orgId: emu.orgId });
    const { sink: opened } = sink('import', emu.url, manager.pat, emu.orgId);
    const error = await refusal(opened.preflight!(noTransforms));
    await opened.close();
    expect(error.code).toBe('PERMISSION_MISSING');
    expect(error.message).toBe(
      `the service user behind the pat credentials lacks the permission iam.write in organization ${emu.orgId} at ${emu.url}, which zitadel-import needs: grant it the IAM_OWNER role`,
    );
  });

  it('v2 needs user.write in the org: a manager of another org is refused, of this one passes', async () => {
    const emu = await useEmulator({ orgs: ['org-a', 'org-b'] });
    const manager = await emu.createServiceUser({ role: 'ORG_USER_WRITER', orgId: 'org-a' });
    const own = sink('users', emu.url, manager.pat, 'org-a');
    await own.sink.preflight!(noTransforms);
    await own.sink.close();
    const other = sink('users', emu.url, manager.pat, 'org-b');
    const error = await refusal(other.sink.preflight!(noTransforms));
    await other.sink.close();
    expect(error.message).toMatch(/lacks the permission user\.write in organization org-b .* grant it the ORG_USER_MANAGER \(or IAM_OWNER\) role$/);
  });

  it('with orgName the import creates a missing org: the permission is checked on the instance instead', async () => {
    const emu = await useEmulator();
    const { sink: opened } = sink('import', emu.url, emu.pat, 'new-org', { orgName: 'New Org' });
    await opened.preflight!(noTransforms);
    await opened.close();
  });
});

describe('IdPs named by the mapping', () => {
  const idps: EmulatorOptions['idps'] = [
    { id: 'idp-google', name: 'Google' },
    { id: 'idp-github', name: 'GitHub', options: { isCreationAllowed: false, isAutoCreation: false } },
  ];
  const plan = withIdpLinks({ 'google-oauth2': 'idp-google', github: 'idp-github', 'acme-saml': 'idp-gone' });

  it('the import refuses links to a missing IdP and to one that allows no account creation, all named at once', async () => {
    const emu = await useEmulator({ idps });
    const { sink: opened } = sink('import', emu.url, emu.pat, emu.orgId);
    const error = await refusal(opened.preflight!(plan));
    await opened.close();
    expect(error.code).toBe('IDP_UNUSABLE');
    expect(error.message).toBe(
      `field-mapper's idpLinks name IdPs that ZITADEL at ${emu.url} cannot link users to: ` +
        'IdP idp-github (Auth0 connection github) "GitHub" allows neither account creation nor auto-creation, so the import refuses users linked to it (Errors.ExternalIDP.CreationNotAllowed): allow creation in the IdP\'s settings; ' +
        'IdP idp-gone (Auth0 connection acme-saml) does not exist. Fix idpLinks or the IdPs, then run again',
    );
  });

  it('v2 only needs the IdPs to exist', async () => {
    const emu = await useEmulator({ idps });
    const { sink: opened } = sink('users', emu.url, emu.pat, emu.orgId);
    const error = await refusal(opened.preflight!(plan));
    await opened.close();
    expect(error.message).toMatch(/cannot link users to: IdP idp-gone \(Auth0 connection acme-saml\) does not exist\. Fix/);
  });

  it('passes when every mapped IdP exists and allows creation', async () => {
    const emu = await useEmulator({ idps });
    const { sink: opened } = sink('import', emu.url, emu.pat, emu.orgId);
    await opened.preflight!(withIdpLinks({ 'google-oauth2': 'idp-google' }));
    await opened.close();
  });
});
