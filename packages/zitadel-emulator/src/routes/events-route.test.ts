import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';

describe('POST /admin/v1/events/_search', () => {
  async function seeded() {
    const emulator = await useEmulator();
    await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(
        emulator.orgId,
        ['u1', 'u2', 'u3'].map((id) => ({ userId: id, user: humanUser(id, { phone: { phone: '+4912345' } }) })),
        { userMetadata: [{ id: 'u2', key: 'plan', value: Buffer.from('gold').toString('base64') }] },
      ),
    );
    return emulator;
  }

  it('returns user.human.added events with their payload and sequences as strings', async () => {
    const emulator = await seeded();
    const answer = await call(emulator, 'POST', '/admin/v1/events/_search', { eventTypes: ['user.human.added'], asc: true });
    expect(answer.status).toBe(200);
    expect(answer.body.events).toHaveLength(3);
    const [first] = answer.body.events;
    expect(first).toMatchObject({
      aggregate: { id: 'u1', type: { type: 'user' }, resourceOwner: emulator.orgId },
      type: { type: 'user.human.added' },
      payload: { userName: 'u1@example.com', firstName: 'u1', lastName: 'Tester', email: 'u1@example.com', phone: '+4912345', preferredLanguage: 'en' },
    });
    expect(first.sequence).toMatch(/^\d+$/);
    expect(first.editor.userId).toBeTruthy();
  });

  it('filters by aggregate id, type, sequence and limit, in both orders', async () => {
    const emulator = await seeded();
    const search = (body: object) => call(emulator, 'POST', '/admin/v1/events/_search', body);
    const u2 = await search({ aggregate_id: 'u2', asc: true });
    // createHuman's order: added, init code (no password: INITIAL), phone code (unverified phone); then the metadata.
    expect(u2.body.events.map((event: { type: { type: string } }) => event.type.type)).toEqual([
      'user.human.added',
      'user.human.initialization.code.added',
      'user.human.phone.code.added',
      'user.metadata.set',
    ]);
    expect(u2.body.events[3].payload).toEqual({ key: 'plan', value: Buffer.from('gold').toString('base64') });

    const all = await search({ eventTypes: ['user.human.added'], asc: true });
    const sequences = all.body.events.map((event: { sequence: string }) => Number(event.sequence));
    const after = await search({ eventTypes: ['user.human.added'], asc: true, sequence: String(sequences[0]) });
    expect(after.body.events.map((event: { aggregate: { id: string } }) => event.aggregate.id)).toEqual(['u2', 'u3']);
    const newestFirst = await search({ eventTypes: ['user.human.added'], limit: 2 });
    expect(newestFirst.body.events.map((event: { aggregate: { id: string } }) => event.aggregate.id)).toEqual(['u3', 'u2']);
    const users = await search({ aggregateTypes: ['org'] });
    expect(users.body.events).toHaveLength(1);
    const none = await search({ eventTypes: ['user.removed'] });
    expect(none.body).toEqual({});
  });

  it('needs IAM_OWNER', async () => {
    const emulator = await seeded();
    const writer = await emulator.createServiceUser({ role: 'ORG_USER_WRITER' });
    expect((await call(emulator, 'POST', '/admin/v1/events/_search', {}, writer.pat)).status).toBe(403);
    expect((await call(emulator, 'POST', '/admin/v1/events/_search', {}, null)).status).toBe(401);
  });
});
