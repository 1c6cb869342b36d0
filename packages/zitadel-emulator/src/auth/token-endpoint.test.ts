import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, useEmulator } from '../emulator.test-helpers.js';
import { type RunningEmulator, startEmulator } from '../server.js';
import type { ServiceUserCredentials } from './service-user.js';
import { API_AUDIENCE_SCOPE } from './token-endpoint.js';

const SCOPE = `openid ${API_AUDIENCE_SCOPE}`;
let tempDir: string | undefined;

afterEach(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function token(emulator: RunningEmulator, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | number> };
}

function basic(clientId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` };
}

async function assertion(
  user: ServiceUserCredentials,
  claims: { aud?: string; expiresIn?: number; iss?: string; key?: ReturnType<typeof createPrivateKey> } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: user.key.keyId })
    .setIssuer(claims.iss ?? user.userId)
    .setSubject(user.userId)
    .setAudience(claims.aud ?? '')
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (claims.expiresIn ?? 600))
    .sign(claims.key ?? createPrivateKey(user.key.key));
}

describe('POST /oauth/v2/token', () => {
  // One emulator and service user for the tests that do not change either (RSA key generation is slow).
  let shared: RunningEmulator;
  let sharedUser: ServiceUserCredentials;
  beforeAll(async () => {
    shared = await startEmulator({ port: 0 });
    sharedUser = await shared.createServiceUser();
  });
  afterAll(async () => {
    await shared.close();
  });

  it('writes a service-user key file (0600) with ZITADEL’s shape', async () => {
    const emulator = await useEmulator();
    tempDir = await mkdtemp(join(tmpdir(), 'emu-key-'));
    const keyFile = join(tempDir, 'key.json');
    const user = await emulator.createServiceUser({ keyFile });
    const written = JSON.parse(await readFile(keyFile, 'utf8'));
    expect(written).toEqual({ type: 'serviceaccount', keyId: user.key.keyId, key: user.key.key, userId: user.userId });
    expect(written.key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('issues a working token for client credentials (Basic auth) and refuses a wrong secret', async () => {
    const emulator = shared;
    const user = sharedUser;
    const ok = await token(emulator, { grant_type: 'client_credentials', scope: SCOPE }, basic(user.clientId, user.clientSecret));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 43199 });
    const listed = await call(emulator, 'POST', '/v2/users', {}, String(ok.body.access_token));
    expect(listed.status).toBe(200);

    const wrong = await token(emulator, { grant_type: 'client_credentials', scope: SCOPE }, basic(user.clientId, 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const missing = await token(emulator, { scope: SCOPE }, basic(user.clientId, user.clientSecret));
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const unsupported = await token(emulator, { grant_type: 'password' });
    expect(unsupported.body.error).toBe('unsupported_grant_type');
  });

  it('refuses API calls with a token lacking the ZITADEL audience scope', async () => {
    const emulator = shared;
    const user = sharedUser;
    const ok = await token(emulator, { grant_type: 'client_credentials', scope: 'openid' }, basic(user.clientId, user.clientSecret));
    const listed = await call(emulator, 'POST', '/v2/users', {}, String(ok.body.access_token));
    expect(listed.status).toBe(401);
    expect(listed.body.message).toContain(API_AUDIENCE_SCOPE);
  });

  it('exchanges a JWT-profile assertion signed with the service-user key', async () => {
    const emulator = shared;
    const user = sharedUser;
    const jwt = await assertion(user, { aud: emulator.issuer });
    const ok = await token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt, scope: SCOPE });
    expect(ok.status).toBe(200);
    expect((await call(emulator, 'POST', '/admin/v1/events/_search', {}, String(ok.body.access_token))).status).toBe(200);
  });

  it('refuses assertions with a bad signature, audience, issuer or expiry', async () => {
    const emulator = shared;
    const user = sharedUser;
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const grant = (jwt: string) => token(emulator, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt, scope: SCOPE });
    const cases: [string, Promise<string>, RegExp][] = [
      ['signature', assertion(user, { aud: emulator.issuer, key: other }), /signature/],
      ['audience', assertion(user, { aud: 'https://elsewhere.example' }), /aud/],
      ['issuer', assertion(user, { aud: emulator.issuer, iss: 'someone-else' }), /iss/],
      ['expired', assertion(user, { aud: emulator.issuer, expiresIn: -60 }), /exp/],
      ['too long', assertion(user, { aud: emulator.issuer, expiresIn: 3 * 3600 }), /more than one hour/],
    ];
    for (const [name, jwt, description] of cases) {
      const answer = await grant(await jwt);
      expect(answer.status, name).toBe(400);
      expect(answer.body.error, name).toBe('invalid_grant');
      expect(String(answer.body.error_description), name).toMatch(description);
    }
    expect((await grant('not.a.jwt')).body.error).toBe('invalid_grant');
  });

  it('lets tokens expire', async () => {
    const emulator = await useEmulator({ tokenTtlSeconds: 0 });
    const user = await emulator.createServiceUser();
    const issued = await token(emulator, { grant_type: 'client_credentials', scope: SCOPE }, basic(user.clientId, user.clientSecret));
    expect(issued.status).toBe(200);
    const expired = await call(emulator, 'POST', '/v2/users', {}, String(issued.body.access_token));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain('token expired');
  });
});
