// The per-user sink against answers the emulator does not give: a `200 {}` proves no write.
import { afterEach, describe, expect, it } from 'vitest';
import { type TestTarget, startTestTarget } from '../test-target.test-helpers.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { createUsersSink } from './users-sink.js';

let stub: TestTarget | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe('zitadel-users: only an answer naming the user proves the write', () => {
  it.each(['human', 'new'] as const)('a 200 without the user id (api %s) is retried, then left retryable: never written', async (api) => {
    stub = await startTestTarget(() => ({ status: 200, body: {} }));
    const ctx = recordingContext();
    const sink = createUsersSink({ url: stub.url, orgId: 'org-1', auth: { pat: 'test-pat' }, api, rateLimit: 0, retry: { attempts: 3, initialDelay: 1, maxDelay: 2 } }, ctx);
    const outcomes = await sink.write(envelopes([makeUser(1)]));
    await sink.close();
    expect(outcomes).toEqual([{ status: 'retryable', reason: expect.stringMatching(/without the user's id: the write is not proven$/) }]);
    expect(stub.requests).toHaveLength(3);
    expect(ctx.counts.get('unprovenAnswers')).toBe(3);
  });
});
