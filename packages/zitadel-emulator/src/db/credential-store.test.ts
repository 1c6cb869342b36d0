// The token lookup keeps successful answers in memory: they must still expire on time and follow
// what the store writes later (a new role, a token issued again).
import { describe, expect, it } from 'vitest';
import { CredentialStore } from './credential-store.js';
import { openEmulatorDatabase } from './open-database.js';

function storeWithUser() {
  const db = openEmulatorDatabase(':memory:');
  const credentials = new CredentialStore(db);
  credentials.saveMachineUser({ id: 'sa1', orgId: 'org1', name: 'sa', role: 'IAM_OWNER' });
  return { db, credentials };
}

describe('CredentialStore.findToken', () => {
  it('lets an access token that was looked up before expire at its time', () => {
    const { db, credentials } = storeWithUser();
    credentials.saveAccessToken('token-a', 'sa1', true, 10_000);
    expect(credentials.findToken('token-a', 9_999)).toMatchObject({ ok: true, principal: { id: 'sa1' } });
    expect(credentials.findToken('token-a', 10_000)).toEqual({ ok: false, reason: 'expired' });
    db.close();
  });

  it('answers with the role a machine user was given after its token was looked up', () => {
    const { db, credentials } = storeWithUser();
    credentials.savePersonalAccessToken('pat-a', 'sa1');
    expect(credentials.findToken('pat-a', 0)).toMatchObject({ ok: true, principal: { role: 'IAM_OWNER' } });
    credentials.saveMachineUser({ id: 'sa1', orgId: 'org1', name: 'sa', role: 'ORG_USER_WRITER' });
    expect(credentials.findToken('pat-a', 0)).toMatchObject({ ok: true, principal: { role: 'ORG_USER_WRITER' } });
    db.close();
  });

  it('answers with the audience and expiry of a token issued again', () => {
    const { db, credentials } = storeWithUser();
    credentials.saveAccessToken('token-b', 'sa1', false, 5_000);
    expect(credentials.findToken('token-b', 0)).toMatchObject({ ok: true, principal: { apiAudience: false } });
    credentials.saveAccessToken('token-b', 'sa1', true, 50_000);
    expect(credentials.findToken('token-b', 20_000)).toMatchObject({ ok: true, principal: { apiAudience: true } });
    expect(credentials.findToken('unknown', 0)).toEqual({ ok: false, reason: 'unknown' });
    db.close();
  });
});
