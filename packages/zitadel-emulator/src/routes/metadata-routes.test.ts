// SetUserMetadata, DeleteUserMetadata and ListUserMetadata (v2, ZITADEL v4+): BulkSetUserMetadata
// and BulkRemoveUserMetadata in internal/command/user_metadata.go, SearchUserMetadata's paging
// (filter/v2 PaginationPbToQuery: default 100, at most 1000).
import { describe, expect, it } from 'vitest';
import { type ApiAnswer, addV2User, call, useEmulator } from '../emulator.test-helpers.js';
import type { RunningEmulator } from '../server.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function seed(emulator: RunningEmulator, userId: string, metadata: Record<string, string> = {}): Promise<void> {
  await addV2User(emulator, userId, { metadata: Object.entries(metadata).map(([key, value]) => ({ key, value: b64(value) })) });
}

async function metadataEventsOf(emulator: RunningEmulator, userId: string): Promise<[string, unknown][]> {
  const answer = await call(emulator, 'POST', '/admin/v1/events/_search', {
    aggregateId: userId,
    asc: true,
    eventTypes: ['user.metadata.set', 'user.metadata.removed'],
  });
  return (answer.body.events ?? []).map((event: { type: { type: string }; payload: unknown }) => [event.type.type, event.payload]);
}

const errorId = (answer: ApiAnswer) => answer.body?.details?.[0]?.id;

describe('POST /v2/users/{id}/metadata (SetUserMetadata)', () => {
  it('sets new and changed values, removes on an empty value, and writes nothing for equal values', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'm1', { plan: 'free', gone: 'x' });
    const first = await call(emulator, 'POST', '/v2/users/m1/metadata', {
      metadata: [
        { key: 'plan', value: b64('pro') },
        { key: 'gone', value: '' },
        { key: 'never', value: '' },
        { key: 'tier', value: b64('2') },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.setDate).toMatch(/^\d{4}-/);
    const unchanged = await call(emulator, 'POST', '/v2/users/m1/metadata', { metadata: [{ key: 'plan', value: b64('pro') }] });
    expect(unchanged.status).toBe(200);
    // No push: the date of the latest metadata event stays.
    expect(unchanged.body.setDate).toBe(first.body.setDate);
    expect(await metadataEventsOf(emulator, 'm1')).toEqual([
      ['user.metadata.set', { key: 'plan', value: b64('free') }],
      ['user.metadata.set', { key: 'gone', value: b64('x') }],
      ['user.metadata.set', { key: 'plan', value: b64('pro') }],
      ['user.metadata.removed', { key: 'gone' }],
      ['user.metadata.set', { key: 'tier', value: b64('2') }],
    ]);
  });

  it('refuses an empty list (META-9mm2d) and an unknown user (400 COMMAND-uXHNj, checkUserExists)', async () => {
    const emulator = await useEmulator();
    const empty = await call(emulator, 'POST', '/v2/users/nobody/metadata', { metadata: [] });
    expect([empty.status, errorId(empty), empty.body.message]).toEqual([400, 'META-9mm2d', 'Metadata list is empty (META-9mm2d)']);
    const unknown = await call(emulator, 'POST', '/v2/users/nobody/metadata', { metadata: [{ key: 'k', value: b64('v') }] });
    expect([unknown.status, unknown.body.code, errorId(unknown)]).toEqual([400, 9, 'COMMAND-uXHNj']);
    const rule = await call(emulator, 'POST', '/v2/users/nobody/metadata', { metadata: [{ key: '', value: b64('v') }] });
    expect(rule.body.message).toBe(
      'invalid SetUserMetadataRequest.Metadata[0]: embedded message failed validation | caused by: invalid Metadata.Key: value length must be between 1 and 200 runes, inclusive',
    );
  });
});

describe('DELETE /v2/users/{id}/metadata?keys=… (DeleteUserMetadata)', () => {
  it('removes the keys, each with its event; one missing key fails the call and removes nothing', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'd1', { a: '1', b: '2', c: '3' });
    const missing = await call(emulator, 'DELETE', '/v2/users/d1/metadata?keys=a&keys=zz');
    expect([missing.status, errorId(missing), missing.body.message]).toEqual([404, 'META-2nnds', 'One or more keys do not exist (META-2nnds)']);
    const removed = await call(emulator, 'DELETE', '/v2/users/d1/metadata?keys=a&keys=c');
    expect(removed.status).toBe(200);
    expect(removed.body.deletionDate).toMatch(/^\d{4}-/);
    expect((await metadataEventsOf(emulator, 'd1')).slice(3)).toEqual([
      ['user.metadata.removed', { key: 'a' }],
      ['user.metadata.removed', { key: 'c' }],
    ]);
    const none = await call(emulator, 'DELETE', '/v2/users/d1/metadata');
    expect(errorId(none)).toBe('META-9mm2d');
  });
});

describe('POST /v2/users/{id}/metadata/search (ListUserMetadata)', () => {
  it('pages by creation date (descending by default), filters by key, and caps the limit at 1000', async () => {
    const emulator = await useEmulator();
    await seed(emulator, 'l1', { first: '1' });
    await call(emulator, 'POST', '/v2/users/l1/metadata', { metadata: [{ key: 'second', value: b64('2') }] });
    await call(emulator, 'POST', '/v2/users/l1/metadata', { metadata: [{ key: 'third', value: b64('3') }] });
    const all = await call(emulator, 'POST', '/v2/users/l1/metadata/search', {});
    expect(all.body.pagination).toEqual({ totalResult: '3', appliedLimit: '100' });
    expect(all.body.metadata.map((entry: { key: string }) => entry.key)).toEqual(['third', 'second', 'first']);
    expect(all.body.metadata[2]).toEqual({ creationDate: expect.any(String), changeDate: expect.any(String), key: 'first', value: b64('1') });
    const page = await call(emulator, 'POST', '/v2/users/l1/metadata/search', { pagination: { offset: 1, limit: 1, asc: true } });
    expect(page.body.metadata.map((entry: { key: string }) => entry.key)).toEqual(['second']);
    const filtered = await call(emulator, 'POST', '/v2/users/l1/metadata/search', {
      filters: [{ keyFilter: { key: 'T', method: 'TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE' } }],
    });
    expect(filtered.body.metadata.map((entry: { key: string }) => entry.key)).toEqual(['third']);
    const tooMany = await call(emulator, 'POST', '/v2/users/l1/metadata/search', { pagination: { limit: 1001 } });
    expect([tooMany.status, errorId(tooMany)]).toEqual([400, 'QUERY-4M0fs']);
    const unknown = await call(emulator, 'POST', '/v2/users/nobody/metadata/search', {});
    expect(unknown.body).toEqual({ pagination: { totalResult: '0', appliedLimit: '100' } });
  });
});
