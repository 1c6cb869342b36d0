import { existsSync } from 'node:fs';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { envelope, recordingContext } from './test-context.test-helpers.js';
import { zitadelValidatePlugin } from './zitadel-validate-plugin.js';

function user(userId: string, userName: string, firstName = 'Jane'): ZitadelUserRecord {
  return {
    userId,
    user: { userName, profile: { firstName, lastName: 'Doe' }, email: { email: 'jane@example.com' } },
    metadata: [],
    state: 'USER_STATE_ACTIVE',
  };
}

describe('zitadel-validate', () => {
  it('passes valid users through unchanged and counts them', async () => {
    const ctx = recordingContext();
    const transform = await zitadelValidatePlugin.create({}, ctx);
    const record = user('auth0|1', 'jane@example.com');
    expect(await transform.apply(envelope(record))).toEqual({ ok: true, value: record });
    expect(ctx.counts.get('valid')).toBe(1);
  });

  it('rejects with every broken rule and counts by field', async () => {
    const ctx = recordingContext();
    const transform = await zitadelValidatePlugin.create({}, ctx);
    const result = await transform.apply(envelope(user('auth0|1', 'jane@example.com', '😀'.repeat(201))));
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'profile.firstName: must be at most 200 runes (got 201)' } });
    expect(ctx.counts.get('invalid profile.firstName')).toBe(1);
  });

  it('rejects the second user with a case-insensitively equal userName, naming the first', async () => {
    const ctx = recordingContext();
    const transform = await zitadelValidatePlugin.create({}, ctx);
    expect((await transform.apply(envelope(user('auth0|1', 'Jane@Example.com')))).ok).toBe(true);
    const second = await transform.apply(envelope(user('auth0|2', 'jane@example.COM'), 2));
    expect(second).toEqual({
      ok: false,
      rejection: { reason: 'userName already used by auth0|1', detail: { userName: 'jane@example.COM' } },
    });
    expect((await transform.apply(envelope(user('auth0|3', 'joe@example.com'), 3))).ok).toBe(true);
    expect(ctx.counts.get('duplicate userName')).toBe(1);
  });

  it('does not reserve the userName of a user it rejected', async () => {
    const transform = await zitadelValidatePlugin.create({}, recordingContext());
    expect((await transform.apply(envelope(user('auth0|1', 'jane@example.com', '')))).ok).toBe(false);
    expect((await transform.apply(envelope(user('auth0|2', 'jane@example.com')))).ok).toBe(true);
  });

  it('rejects duplicates the same way once the userNames have moved to disk, and removes the store on close', async () => {
    const ctx = recordingContext();
    const stores: string[] = [];
    ctx.log = (_level, message, fields) => {
      if (message.includes('userNames moved to a temporary file')) stores.push(String(fields?.directory));
    };
    const transform = await zitadelValidatePlugin.create({ spillThreshold: 10 }, ctx);
    for (let i = 1; i <= 25; i++) expect((await transform.apply(envelope(user(`auth0|${i}`, `User${i}@Example.com`), i))).ok).toBe(true);
    expect(stores).toHaveLength(1);
    expect(existsSync(stores[0])).toBe(true);
    for (const [userName, owner] of [['user3@example.COM', 'auth0|3'], ['USER17@EXAMPLE.COM', 'auth0|17'], ['user25@example.com', 'auth0|25']]) {
      expect(await transform.apply(envelope(user('auth0|late', userName), 26))).toEqual({
        ok: false,
        rejection: { reason: `userName already used by ${owner}`, detail: { userName } },
      });
    }
    expect((await transform.apply(envelope(user('auth0|26', 'user26@example.com'), 27))).ok).toBe(true);
    expect(ctx.counts.get('duplicate userName')).toBe(3);
    expect(ctx.counts.get('valid')).toBe(26);
    await transform.close?.();
    expect(existsSync(stores[0])).toBe(false);
  });

  it('rejects a user with a lone surrogate (an emoji cut in two), located, before it can fail a batch', async () => {
    const ctx = recordingContext();
    const transform = await zitadelValidatePlugin.create({}, ctx);
    const record = user('auth0|1', 'jane@example.com');
    record.user.profile.nickName = 'Jay \ud83d';
    const result = await transform.apply(envelope(record));
    expect(result).toMatchObject({ ok: false, rejection: { reason: expect.stringMatching(/^profile\.nickName: contains a lone UTF-16 surrogate \\uD83D at index 4/) } });
    expect(ctx.counts.get('invalid profile.nickName')).toBe(1);
  });

  it('passes, and counts, what ZITADEL accepts but changes: an unparsable language; a v2 phone without +', async () => {
    const ctx = recordingContext();
    const transform = await zitadelValidatePlugin.create({ api: 'v2' }, ctx);
    const record = user('auth0|1', 'jane@example.com');
    record.user.profile.preferredLanguage = 'pt_BR';
    record.user.phone = { phone: '0791234567' };
    expect(await transform.apply(envelope(record))).toEqual({ ok: true, value: record });
    expect(ctx.counts.get('preferredLanguage not a BCP 47 tag (ZITADEL stores "und")')).toBe(1);
    expect(ctx.counts.get('phone without + (the v2 API reads it as a Swiss number)')).toBe(1);
  });

  it('allows duplicates when uniqueUserNames is false', async () => {
    const transform = await zitadelValidatePlugin.create({ uniqueUserNames: false }, recordingContext());
    expect((await transform.apply(envelope(user('auth0|1', 'jane@example.com')))).ok).toBe(true);
    expect((await transform.apply(envelope(user('auth0|2', 'jane@example.com')))).ok).toBe(true);
  });

  it('has a schema describing every property', () => {
    const properties = zitadelValidatePlugin.schema.properties as { [k: string]: { description?: string } };
    expect(zitadelValidatePlugin.schema.additionalProperties).toBe(false);
    for (const [key, property] of Object.entries(properties)) expect(property.description, key).toBeTruthy();
  });
});
