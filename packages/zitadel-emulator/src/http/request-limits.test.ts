// What ZITADEL's gateway and gRPC server refuse before a handler runs: messages over grpc-go's
// 4 MiB receive limit (ResourceExhausted → 429; internal/api/grpc/server/server.go sets no
// MaxRecvMsgSize) and strings protobuf's JSON decoder cannot read (lone UTF-16 surrogate
// escapes, invalid UTF-8: protojson parseString → InvalidArgument → 400).
import { describe, expect, it } from 'vitest';
import { type ApiAnswer, call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';
import { GRPC_DEFAULT_MAX_RECEIVE_BYTES, importRequestProtoSize } from '../import/import-message-size.js';
import type { RunningEmulator } from '../server.js';

function rawPost(emulator: RunningEmulator, path: string, body: Buffer | string): Promise<ApiAnswer> {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.pat}`, 'content-type': 'application/json' },
    body,
  }).then(async (response) => ({ status: response.status, body: await response.json(), headers: response.headers }));
}

describe('gRPC receive limit on the import (4 MiB of protobuf)', () => {
  it('counts the protobuf encoding: tags, lengths, no defaults, no unknown fields', () => {
    // timeout = 9: tag 0x4a, length 4, "5m0s" → 6 bytes.
    expect(importRequestProtoSize({ timeout: '5m0s' })).toBe(6);
    // dataOrgs(1){orgs(1){orgId(1)="o", humanUsers(14){userId(1)="u", user(2){userName(1)="n",
    // email(3){email(1)="e", isEmailVerified(2)=true}}, state(3)=LOCKED(4)}}} and an unknown field.
    const message = {
      dataOrgs: {
        orgs: [
          {
            orgId: 'o',
            somethingNew: 'x'.repeat(1000),
            humanUsers: [
              { userId: 'u', state: 'USER_STATE_LOCKED', user: { userName: 'n', passwordChangeRequired: false, email: { email: 'e', isEmailVerified: true } } },
            ],
          },
        ],
      },
    };
    const email = 2 + 1 + 2; // email "e" (3 bytes) + bool (2 bytes) = 5
    const user = 3 + (2 + email); // userName (3) + email message (tag, len, 5)
    const humanUser = 3 + (2 + user) + 2; // userId (3) + user message + state enum (2)
    const org = 3 + (2 + humanUser); // orgId (3) + humanUsers (tag 14 = 1 byte, len, …)
    expect(importRequestProtoSize(message)).toBe(2 + (2 + org));
  });

  it('answers 429 code 8 with grpc-go\'s message for a larger import, and writes nothing', async () => {
    const emulator = await useEmulator();
    // ~5 MiB of protobuf: 2,500 users with 2,000-character display names.
    const users = Array.from({ length: 2500 }, (_, i) => ({
      userId: `big${i}`,
      user: humanUser(`big${i}`, { profile: { firstName: 'F', lastName: 'L', displayName: 'd'.repeat(2000) } }),
    }));
    const body = importRequest(emulator.orgId, users);
    const size = importRequestProtoSize(body as unknown as Record<string, unknown>);
    expect(size).toBeGreaterThan(GRPC_DEFAULT_MAX_RECEIVE_BYTES);
    const answer = await call(emulator, 'POST', '/admin/v1/import', body);
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({ code: 8, message: `grpc: received message larger than max (${size} vs. 4194304)` });
    expect(answer.headers.get('retry-after')).toBeNull(); // not a rate limit: waiting does not help
    expect(emulator.stats().users).toBe(0);
  });

  it('accepts a JSON body over the limit whose protobuf is within it (long unknown keys do not count)', async () => {
    const emulator = await useEmulator({ grpcMaxReceiveBytes: 10_000 });
    const body = { ...importRequest(emulator.orgId, [{ userId: 'a', user: humanUser('a') }]), padding: 'p'.repeat(20_000) };
    expect((await call(emulator, 'POST', '/admin/v1/import', body)).status).toBe(200);
  });
});

describe('strings protobuf\'s JSON decoder refuses', () => {
  it('refuses a lone high or low surrogate escape anywhere in the body with 400, naming the string', async () => {
    const emulator = await useEmulator();
    for (const broken of ['Jo\ud800hn', 'Jo\udc00hn', 'end\ud83d']) {
      const body = JSON.stringify(importRequest(emulator.orgId, [{ userId: 'a', user: humanUser('a', { profile: { firstName: broken, lastName: 'L' } }) }]));
      const answer = await rawPost(emulator, '/admin/v1/import', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(3);
      // The position is the string's opening quote (1-based rune column).
      const column = body.indexOf(JSON.stringify(broken)) + 1;
      expect(answer.body.message).toMatch(new RegExp(`^proto: syntax error \\(line 1:${column}\\): invalid escape code ".{1,8}" in string$`));
    }
    const v2 = await call(emulator, 'POST', '/v2/users/human', { profile: { givenName: 'x\udfffy', familyName: 'F' }, email: { email: 'v2@example.com' } });
    expect(v2.status).toBe(400);
    expect(v2.body.message).toMatch(/invalid escape code/);
    expect(emulator.stats().users).toBe(0);
  });

  it('accepts surrogate pairs, escaped or not', async () => {
    const emulator = await useEmulator();
    const body = JSON.stringify(importRequest(emulator.orgId, [{ userId: 'e', user: humanUser('e', { profile: { firstName: 'Émoji 😀', lastName: '\\ud83d\\ude00' } }) }]));
    const answer = await rawPost(emulator, '/admin/v1/import', body.replace('😀', '\\ud83d\\ude00'));
    expect(answer.status).toBe(200);
    expect((await call(emulator, 'GET', '/v2/users/e')).body.user.human.profile.givenName).toBe('Émoji 😀');
  });

  it('refuses bytes that are not UTF-8 inside a string', async () => {
    const emulator = await useEmulator();
    const text = JSON.stringify(importRequest(emulator.orgId, [{ userId: 'b', user: humanUser('b', { profile: { firstName: 'XX', lastName: 'L' } }) }]));
    const bytes = Buffer.from(text);
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    const answer = await rawPost(emulator, '/admin/v1/import', bytes);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(`proto: syntax error (line 1:${at}): invalid UTF-8 in string`);
  });
});
