// The bulk import sink against answers ZITADEL's emulator does not give: a target answering
// `200 {}` (a proxy, a stub) proves nothing; gRPC's size refusal (429 ResourceExhausted) is split,
// never waited on; an org ZITADEL skips stops the run. A loopback server plays the target.
import { FatalError, type SinkOutcome } from '@idflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { type Reply, type TestTarget, startTestTarget } from '../test-target.test-helpers.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { fileSink } from '../file/file-sink.js';
import { createImportSink, importSink } from './import-sink.js';
import { UNPROVEN } from './read-import-response.js';

const targets: TestTarget[] = [];
afterEach(async () => {
  while (targets.length) await targets.pop()!.close();
});

async function target(reply: (method: string, path: string, body: unknown) => Reply): Promise<TestTarget> {
  const started = await startTestTarget(reply);
  targets.push(started);
  return started;
}

function sinkFor(url: string) {
  const ctx = recordingContext();
  const sink = createImportSink({ url, orgId: 'org-1', auth: { pat: 'test-pat' }, retry: { attempts: 3, initialDelay: 1, maxDelay: 2 } }, ctx);
  return { sink, ctx };
}

type ImportBody = { dataOrgs: { orgs: { humanUsers: { userId: string }[] }[] } };
const userIdsOf = (body: unknown) => (body as ImportBody).dataOrgs.orgs[0].humanUsers.map((u) => u.userId);

describe('zitadel-import: only an answer listing a user proves its fate', () => {
  it('a target answering 200 {} has written nobody: every user stays retryable after the retry budget', async () => {
    const stub = await target(() => ({ status: 200, body: {} }));
    const { sink, ctx } = sinkFor(stub.url);
    const outcomes = await sink.write(envelopes([makeUser(1), makeUser(2)]));
    await sink.close();
    expect(outcomes).toEqual([
      { status: 'retryable', reason: UNPROVEN },
      { status: 'retryable', reason: UNPROVEN },
    ]);
    // The first request and two re-sends (attempts: 3).
    expect(stub.requests.filter((r) => r.path === '/admin/v1/import')).toHaveLength(3);
    expect(ctx.counts.get('state.active')).toBeUndefined();
  });

  it('re-sends only the users an answer left out, and counts those it then lists', async () => {
    const users = [makeUser(1), makeUser(2), makeUser(3)];
    let calls = 0;
    const stub = await target((_method, _path, body) => {
      calls++;
      const ids = userIdsOf(body);
      // The first answer lists user 1 and leaves out users 2 and 3.
      const listed = calls === 1 ? ids.slice(0, 1) : ids;
      return { status: 200, body: { success: { orgs: [{ orgId: 'org-1', humanUserIds: listed }] } } };
    });
    const { sink, ctx } = sinkFor(stub.url);
    const outcomes: SinkOutcome[] = await sink.write(envelopes(users));
    await sink.close();
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written']);
    expect(userIdsOf(stub.requests[1].body)).toEqual([users[1].userId, users[2].userId]);
    expect(ctx.counts.get('state.active')).toBe(3);
  });

  it('stops the run when ZITADEL skipped the organization', async () => {
    const stub = await target(() => ({ status: 200, body: { errors: [{ type: 'org', id: 'org-1', message: 'ID=COMM-deLSk Message=Errors.Org.Invalid' }], success: {} } }));
    const { sink } = sinkFor(stub.url);
    const error = await sink.write(envelopes([makeUser(1)])).catch((e: unknown) => e);
    await sink.close();
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/^ZITADEL skipped organization org-1 and every user of it: ID=COMM-deLSk Message=Errors\.Org\.Invalid\. Check sink\.with\.orgId, or set sink\.with\.orgName/);
  });
});

describe('zitadel-import: ZITADEL\'s answer to a timeout it cannot parse', () => {
  it('500 code 2 with Go\'s duration error is fatal at once, not retried as an outage', async () => {
    const stub = await target(() => ({ status: 500, body: { code: 2, message: 'time: invalid duration "5 minutes"' } }));
    const { sink } = sinkFor(stub.url);
    const error = await sink.write(envelopes([makeUser(1)])).catch((e: unknown) => e);
    await sink.close();
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/^ZITADEL refused the import timeout "5m0s": time: invalid duration "5 minutes"; set sink\.with\.timeout/);
    expect(stub.requests).toHaveLength(1);
  });
});

describe('the organization name (AddOrgRequest.name, 1–200 runes, trimmed)', () => {
  it.each([
    [' ', 'must not be empty or only whitespace (ZITADEL trims organization names)'],
    ['😀'.repeat(201), "must be at most 200 runes (got 201), ZITADEL's limit for organization names"],
    ['😀'.repeat(200), undefined],
  ])('%j', (orgName, problem) => {
    const config = { url: 'https://zitadel.example.com', orgId: 'org-1', orgName, auth: { pat: 'p' } };
    const problems = importSink.validate!(config).filter((p) => p.path[0] === 'orgName');
    expect(problems).toEqual(problem ? [{ path: ['orgName'], message: problem }] : []);
    expect(fileSink.validate!({ dir: 'bodies', orgId: 'org-1', orgName })).toEqual(problems);
  });
});

describe('zitadel-import: a request over gRPC\'s message limit', () => {
  it('answered 429 ResourceExhausted is split in halves, never waited on, and later requests stay smaller', async () => {
    const limit = 4000;
    const stub = await target((_method, _path, body) => {
      if (JSON.stringify(body).length > limit) return { status: 429, body: { code: 8, message: `grpc: received message larger than max (${JSON.stringify(body).length} vs. ${limit})` } };
      return { status: 200, body: { success: { orgs: [{ orgId: 'org-1', humanUserIds: userIdsOf(body) }] } } };
    });
    const { sink, ctx } = sinkFor(stub.url);
    const users = Array.from({ length: 12 }, (_, i) => makeUser(i + 1));
    const outcomes = await sink.write(envelopes(users));
    expect(outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(ctx.counts.get('requestsTooLarge')).toBeGreaterThan(0);
    expect(ctx.counts.get('http429')).toBeUndefined();
    // The next batch goes out in requests under the learnt size: no refusal this time.
    const refusedBefore = ctx.counts.get('requestsTooLarge');
    expect((await sink.write(envelopes(users.map((u) => ({ ...u, userId: `${u.userId}b` }))))).every((o) => o.status === 'written')).toBe(true);
    expect(ctx.counts.get('requestsTooLarge')).toBe(refusedBefore);
    await sink.close();
  });

  it('a single user over the limit is rejected with the reason', async () => {
    const stub = await target(() => ({ status: 429, body: { code: 8, message: 'grpc: received message larger than max (5000000 vs. 4194304)' } }));
    const { sink } = sinkFor(stub.url);
    expect(await sink.write(envelopes([makeUser(1)]))).toEqual([
      { status: 'rejected', reason: expect.stringMatching(/larger than ZITADEL's gRPC message limit/) },
    ]);
    await sink.close();
  });
});
