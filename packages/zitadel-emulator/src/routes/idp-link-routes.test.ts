// AddIDPLink and ListIDPLinks (internal/api/grpc/user/v2/idp_link.go → Commands.AddUserIDPLink in
// internal/command/user_idp_link.go, addLink in user_human.go).
import { describe, expect, it } from 'vitest';
import { type ApiAnswer, addV2User, call, useEmulator } from '../emulator.test-helpers.js';

const errorId = (answer: ApiAnswer) => answer.body?.details?.[0]?.id;

describe('POST /v2/users/{id}/links (AddIDPLink)', () => {
  it('adds a link with user.human.externalidp.added; the same link again is 409 V3-DKcYh, never a no-op', async () => {
    const emulator = await useEmulator({ idps: [{ id: 'google', name: 'Google' }] });
    await addV2User(emulator, 'u1');
    await addV2User(emulator, 'u2');
    const link = { idpLink: { idpId: 'google', userId: 'g-123', userName: 'ada@gmail.com' } };
    const added = await call(emulator, 'POST', '/v2/users/u1/links', link);
    expect(added.status).toBe(200);
    expect(added.body.details).toMatchObject({ resourceOwner: emulator.orgId, sequence: expect.stringMatching(/^\d+$/) });
    const events = await call(emulator, 'POST', '/admin/v1/events/_search', { aggregateId: 'u1', eventTypes: ['user.human.externalidp.added'] });
    expect(events.body.events.map((event: { payload: unknown }) => event.payload)).toEqual([
      { idpConfigId: 'google', userId: 'g-123', displayName: 'ada@gmail.com' },
    ]);
    // The unique constraint `external_idps` is per IdP and external id, whoever holds it.
    for (const userId of ['u1', 'u2']) {
      const again = await call(emulator, 'POST', `/v2/users/${userId}/links`, link);
      expect([again.status, errorId(again), again.body.message]).toEqual([409, 'V3-DKcYh', 'External IDP already taken (V3-DKcYh)']);
    }
    const listed = await call(emulator, 'POST', '/v2/users/u1/links/_search', {});
    expect(listed.body).toEqual({
      details: { totalResult: '1', timestamp: expect.any(String) },
      result: [{ idpId: 'google', userId: 'g-123', userName: 'ada@gmail.com' }],
    });
  });

  it('refuses an unknown user (400 COMMAND-vzktar7b7f) and an IdP of no org or instance (COMMAND-39nf2)', async () => {
    const emulator = await useEmulator({ idps: [{ id: 'google', name: 'Google' }] });
    await addV2User(emulator, 'u1');
    const unknownUser = await call(emulator, 'POST', '/v2/users/nobody/links', { idpLink: { idpId: 'google', userId: 'x', userName: 'x' } });
    expect([unknownUser.status, unknownUser.body.code, errorId(unknownUser)]).toEqual([400, 9, 'COMMAND-vzktar7b7f']);
    const unknownIdp = await call(emulator, 'POST', '/v2/users/u1/links', { idpLink: { idpId: 'okta', userId: 'x', userName: 'x' } });
    expect([unknownIdp.status, errorId(unknownIdp)]).toEqual([400, 'COMMAND-39nf2']);
    const rule = await call(emulator, 'POST', '/v2/users/u1/links', { idpLink: { idpId: 'google', userId: '', userName: 'x' } });
    expect(rule.body.message).toBe(
      'invalid AddIDPLinkRequest.IdpLink: embedded message failed validation | caused by: invalid IDPLink.UserId: value length must be between 1 and 200 runes, inclusive',
    );
    const listed = await call(emulator, 'POST', '/v2/users/u1/links/_search', {});
    expect(listed.body.details.totalResult).toBe('0');
  });
});
