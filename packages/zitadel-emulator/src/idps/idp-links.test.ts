// IdP links against configured IdPs: the import's addUserIDPLink (existing IdP that allows
// creation, internal/command/user_idp_link.go), the v2 addLink (existing on the org or the
// instance, internal/command/user_human.go), the unique constraint per IdP and external id, and
// the read routes a client uses to check its IdPs.
import { describe, expect, it } from 'vitest';
import { call, humanUser, importRequest, useEmulator } from '../emulator.test-helpers.js';

const linked = (name: string, configId: string, externalUserId = `${name}-ext`) =>
  humanUser(name, { email: { email: `${name}@example.com` }, idps: [{ configId, externalUserId, displayName: name }] });

describe('IdP links', () => {
  it('import: an unknown IdP fails the user (COMMAND-39nfs), one without creation too (COMMAND-SJI3g), auto creation is enough', async () => {
    const emulator = await useEmulator({
      idps: [
        { id: 'google', name: 'Google' },
        { id: 'link-only', options: { isCreationAllowed: false } },
        { id: 'auto', options: { isCreationAllowed: false, isAutoCreation: true } },
      ],
    });
    const answer = await call(
      emulator,
      'POST',
      '/admin/v1/import',
      importRequest(emulator.orgId, [
        { userId: 'a', user: linked('a', 'google') },
        { userId: 'b', user: linked('b', 'github') },
        { userId: 'c', user: linked('c', 'link-only') },
        { userId: 'd', user: linked('d', 'auto') },
        { userId: 'e', user: linked('e', 'google', 'a-ext') },
      ]),
    );
    expect(answer.body.errors.slice(1)).toEqual([
      { type: 'human_user', id: 'b', message: 'ID=COMMAND-39nfs Message=Errors.IDPConfig.NotExisting' },
      { type: 'human_user', id: 'c', message: 'ID=COMMAND-SJI3g Message=Errors.ExternalIDP.CreationNotAllowed' },
      // The link's unique constraint (external_idps, per IdP and external id) fails the push.
      { type: 'human_user', id: 'e', message: 'ID=V3-DKcYh Message=Errors.User.ExternalIDP.AlreadyExists' },
    ]);
    expect(answer.body.success.orgs[0].humanUserIds).toEqual(['a', 'd']);
    expect(emulator.stats().users).toBe(2); // the whole user fails, not just its link
  });

  it('v2: the IdP must exist on the org or the instance (COMMAND-39nf2); creation options are not checked', async () => {
    const emulator = await useEmulator({
      orgs: ['org-a', 'org-b'],
      idps: [{ id: 'link-only', options: { isCreationAllowed: false } }, { id: 'b-only', orgId: 'org-b' }],
    });
    const add = (userId: string, idpId: string) =>
      call(emulator, 'POST', '/v2/users/human', {
        userId,
        organization: { orgId: 'org-a' },
        profile: { givenName: 'G', familyName: 'F' },
        email: { email: `${userId}@example.com`, isVerified: true },
        idpLinks: [{ idpId, userId: `${userId}-ext`, userName: userId }],
      });
    expect((await add('ok', 'link-only')).status).toBe(200);
    for (const idpId of ['missing', 'b-only']) {
      const refused = await add(`no-${idpId}`, idpId);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe("Identity Provider Configuration doesn't exist (COMMAND-39nf2)");
    }
    expect(emulator.stats().users).toBe(1);
  });

  it('lists the IdPs and their options as ZITADEL\'s APIs do', async () => {
    const emulator = await useEmulator({ idps: [{ id: 'google', name: 'Google' }, { id: 'corp', name: 'Corp', options: { isCreationAllowed: false } }] });
    const one = await call(emulator, 'GET', '/v2/idps/corp');
    expect(one.status).toBe(200);
    expect(one.body.idp).toMatchObject({
      id: 'corp',
      name: 'Corp',
      state: 'IDP_STATE_ACTIVE',
      config: { options: { isCreationAllowed: false, isLinkingAllowed: true, isAutoCreation: false } },
    });
    expect((await call(emulator, 'GET', '/v2/idps/nope')).body.details[0].id).toBe('QUERY-SAFrt');
    const listed = await call(emulator, 'POST', '/admin/v1/idps/templates/_search', {});
    expect(listed.body.details.totalResult).toBe('2');
    expect(listed.body.result.map((idp: { id: string; owner: string }) => [idp.id, idp.owner])).toEqual([
      ['google', 'IDP_OWNER_TYPE_SYSTEM'],
      ['corp', 'IDP_OWNER_TYPE_SYSTEM'],
    ]);
    const management = await call(emulator, 'POST', '/management/v1/idps/templates/_search', {});
    expect(management.body.details.totalResult).toBe('2');
  });
});
