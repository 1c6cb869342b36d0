// Every way to authenticate, against a real emulator's token endpoint over 127.0.0.1.
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, FatalError } from '@idflow/engine';
import { startEmulator } from '@idflow/zitadel-emulator';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { closeAfterTest, type Emulator, useEmulator } from '../emulator.test-helpers.js';
import { ZitadelHttp } from '../http/zitadel-http.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { createUsersSink } from '../users/users-sink.js';
import { readServiceAccountKey, signJwtAssertion } from './jwt-assertion.js';

const tokenRequests = async (emu: Emulator) => (await emu.stats()).requests['POST /oauth/v2/token']?.['200'] ?? 0;

describe('auth', () => {
  it('client credentials: the token is fetched once, cached, and refreshed before it expires', async () => {
    const emu = await useEmulator();
    const sa = await emu.createServiceUser({ role: 'IAM_OWNER' });
    const ctx = recordingContext();
    const sink = createUsersSink(
      { url: emu.url, orgId: emu.orgId, rateLimit: 0, concurrency: 4, auth: { clientCredentials: { clientId: sa.clientId, clientSecret: sa.clientSecret } } },
      ctx,
    );
    expect((await sink.write(envelopes([1, 2, 3, 4].map((n) => makeUser(n))))).every((o) => o.status === 'written')).toBe(true);
    expect(await tokenRequests(emu)).toBe(1);
    await sink.close();

    // A token living less than the refresh margin is renewed before each use.
    const shortLived = await useEmulator({ tokenTtlSeconds: 30 });
    const sa2 = await shortLived.createServiceUser({ role: 'IAM_OWNER' });
    const sink2 = createUsersSink(
      { url: shortLived.url, orgId: shortLived.orgId, rateLimit: 0, concurrency: 1, auth: { clientCredentials: { clientId: sa2.clientId, clientSecret: sa2.clientSecret } } },
      recordingContext(),
    );
    await sink2.write(envelopes([makeUser(1)]));
    await sink2.write(envelopes([makeUser(2)]));
    await sink2.close();
    expect(await tokenRequests(shortLived)).toBe(2);
    expect(JSON.stringify([ctx.logs, ctx.warnings])).not.toContain(sa.clientSecret);
  });

  it('key file: an RS256 JWT with kid, iss = sub = userId and aud = issuer is exchanged for a token', async () => {
    const emu = await useEmulator();
    const dir = await mkdtemp(join(tmpdir(), 'zitadel-key-'));
    const keyFile = join(dir, 'key.json');
    const sa = await emu.createServiceUser({ role: 'IAM_OWNER', keyFile });
    const key = readServiceAccountKey(await readFile(keyFile, 'utf8'), keyFile);
    const jwt = await signJwtAssertion(key, new URL(emu.url));
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: key.keyId });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ iss: sa.userId, sub: sa.userId, aud: new URL(emu.url).origin });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3600);

    const ctx = recordingContext(dir);
    const sink = createUsersSink({ url: emu.url, orgId: emu.orgId, rateLimit: 0, auth: { keyFile: 'key.json' } }, ctx);
    expect(await sink.write(envelopes([makeUser(1)]))).toEqual([{ status: 'written' }]);
    await sink.close();
    expect(JSON.stringify([ctx.logs, ctx.warnings])).not.toContain('PRIVATE KEY');
  });

  it('a token the server no longer accepts (401) is replaced by a fresh one, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zitadel-401-'));
    const db = join(dir, 'emulator.sqlite');
    const first = await startEmulator({ port: 0, db, pat: 'owner-pat-1' });
    const sa = await first.createServiceUser({ role: 'IAM_OWNER' });
    const port = Number(new URL(first.url).port);
    const http = new ZitadelHttp({ url: first.url, baseDir: dir, auth: { clientCredentials: { clientId: sa.clientId, clientSecret: sa.clientSecret } } });
    expect((await http.post('/v2/users', {}, { timeoutMs: 5000 })).status).toBe(200);
    await first.close();
    // The server forgets every access token (as after a revocation): the cached one now gets 401.
    const sqlite = createRequire(join(process.cwd(), '..', '..', 'packages', 'zitadel-emulator', 'package.json'))('better-sqlite3');
    const handle = new sqlite(db);
    handle.prepare('DELETE FROM access_tokens').run();
    handle.close();
    const second = await startEmulator({ port, db, pat: 'owner-pat-1' });
    closeAfterTest(second);
    // The pool's kept-alive socket died with the first server: the sinks' retry loop covers that.
    const answer = await http.post('/v2/users', {}, { timeoutMs: 5000 }).catch(() => http.post('/v2/users', {}, { timeoutMs: 5000 }));
    expect(answer.status).toBe(200);
    expect(second.stats().requests['POST /v2/users']).toMatchObject({ '200': 1, '401': 1 });
    expect(await tokenRequests(second)).toBe(1);
    await http.close();
  });

  it('wrong client secret: one clear fatal error that does not contain the secret', async () => {
    const emu = await useEmulator();
    const sa = await emu.createServiceUser({ role: 'IAM_OWNER' });
    const secret = `${sa.clientSecret}-wrong`;
    const http = new ZitadelHttp({ url: emu.url, baseDir: '.', auth: { clientCredentials: { clientId: sa.clientId, clientSecret: secret } } });
    const error = await http.post('/v2/users', {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    await http.close();
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/refused the client-credentials credentials/);
    expect((error as Error).message).not.toContain(secret);
  });

  it('HTTPS is required for a non-loopback host unless allowInsecure', () => {
    expect(() => new ZitadelHttp({ url: 'http://zitadel.example.com', baseDir: '.', auth: { pat: 'x' } })).toThrow(ConfigError);
    const insecure = new ZitadelHttp({ url: 'http://zitadel.example.com', baseDir: '.', auth: { pat: 'x' }, allowInsecure: true });
    expect(insecure.baseUrl.protocol).toBe('http:');
    return insecure.close();
  });
});
