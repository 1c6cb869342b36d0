import type { Auth0UserRecord } from '@idflow/plugin-auth0';
import { checkZitadelUserRecord } from '@idflow/plugin-zitadel-validate';
import { describe, expect, it } from 'vitest';
import type { FieldMapperConfig } from './config-schema.js';
import { fieldMapperPlugin } from './field-mapper-plugin.js';
import { envelope, recordingContext } from './test-context.test-helpers.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

function jane(profile: object = {}): Auth0UserRecord {
  return {
    profile: { user_id: 'auth0|1', email: 'Jane@Example.com', name: 'Jane Doe', nickname: 'jd', locale: 'de_DE', ...profile },
    passwordStatus: 'missing',
  };
}

async function run(config: FieldMapperConfig, data: unknown) {
  const ctx = recordingContext();
  const transform = await fieldMapperPlugin.create(config, ctx);
  return { result: await transform.apply(envelope(data, 7)), ctx };
}

describe('field-mapper plugin', () => {
  it('emits preset records that pass every ZITADEL field rule', async () => {
    const { result, ctx } = await run({ preset: 'auth0-to-zitadel' }, jane({ given_name: '😀'.repeat(300) }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(checkZitadelUserRecord(result.value)).toEqual([]);
    expect(ctx.counts.get('records mapped')).toBe(1);
    expect(ctx.warnings).toEqual([{ message: 'auth0|1: profile.firstName cut from 300 to 200 runes', origin: { file: 'users.ndjson', line: 7, offset: 0 }, kind: 'field cut' }]);
  });

  it('mapping entries override and extend the preset, in order', async () => {
    const { result } = await run(
      {
        preset: 'auth0-to-zitadel',
        mapping: {
          'user.userName': 'lower(profile.email)',
          'user.profile.displayName': '{profile.nickname} ({profile.name})',
          'user.profile.nickName': 'profile.missing', // nothing: removes the preset's value
          'user.profile.gender': '"GENDER_DIVERSE"',
          'user.passwordChangeRequired': true,
          'metadata.auth0_id': 'profile.user_id',
          'metadata.user_metadata.plan': 'profile.missing', // removes an entry
        },
      },
      jane({ user_metadata: { plan: 'gold' } }),
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        user: {
          userName: 'jane@example.com',
          profile: { firstName: 'Jane', lastName: 'Doe', displayName: 'jd (Jane Doe)', gender: 'GENDER_DIVERSE', preferredLanguage: 'de-DE' },
          passwordChangeRequired: true,
        },
        metadata: [{ key: 'auth0_id', value: b64('auth0|1') }],
      },
    });
    if (result.ok) expect((result.value.user as { profile: object }).profile).not.toHaveProperty('nickName');
  });

  it('builds any shape from a mapping alone', async () => {
    const { result, ctx } = await run(
      { mapping: { 'contact.mail': 'trim(lower(profile.email))', 'contact.phone': 'e164(profile.phone_number)', 'short': 'truncate(profile.name, 4)' } },
      jane({ phone_number: '+49 30 1234567' }),
    );
    expect(result).toEqual({ ok: true, value: { contact: { mail: 'jane@example.com', phone: '+49301234567' }, short: 'Jane' } });
    expect(ctx.counts.get('truncated short')).toBe(1);
  });

  it('rejects with the preset reason', async () => {
    const { result } = await run({ preset: 'auth0-to-zitadel' }, jane({ email: undefined }));
    expect(result).toEqual({ ok: false, rejection: { reason: 'profile.email is missing: ZITADEL requires an email address for every user' } });
  });

  it('rejects a too-large mapped metadata value, or drops it when asked', async () => {
    const config: FieldMapperConfig = { preset: 'auth0-to-zitadel', mapping: { 'metadata.bio': 'profile.bio' } };
    const big = jane({ bio: 'x'.repeat(600_000) });
    expect((await run(config, big)).result).toEqual({
      ok: false,
      rejection: { reason: "metadata.bio: value is 600002 bytes as JSON, over ZITADEL's 500000 (metadata.onOversized: reject)" },
    });
    const dropped = await run({ ...config, metadata: { onOversized: 'drop' } }, big);
    expect(dropped.result).toMatchObject({ ok: true, value: { metadata: [] } });
    expect(dropped.ctx.counts.get('metadata entries dropped (over ZITADEL limits)')).toBe(1);
  });

  it('prototype pollution attempts through the input stay data', async () => {
    const hostile = JSON.parse(
      '{"profile":{"user_id":"auth0|x","email":"x@example.com","__proto__":{"polluted":1},"user_metadata":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}}}},"passwordStatus":"missing"}',
    );
    const { result } = await run({ preset: 'auth0-to-zitadel', mapping: { 'user.profile.nickName': 'profile["__proto__"].polluted' } }, hostile);
    expect(result).toMatchObject({
      ok: true,
      value: {
        user: { profile: { nickName: 1 } },
        metadata: [
          { key: 'user_metadata.__proto__', value: b64({ polluted: 2 }) },
          { key: 'user_metadata.constructor', value: b64({ prototype: { polluted: 3 } }) },
        ],
      },
    });
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('throws the ConfigError at create time, not per record', () => {
    expect(() => fieldMapperPlugin.create({ mapping: { x: 'truncate(profile.name)' } }, recordingContext())).toThrow(
      'with.mapping.x: truncate takes 2 argument(s): truncate(text, maxRunes) at column 1 in "truncate(profile.name)"',
    );
  });

  it('has a schema describing every property', () => {
    const check = (schema: { properties?: { [k: string]: { description?: string; properties?: object } } }, where: string) => {
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, `${where}.${key}`).toBeTruthy();
        check(property as never, `${where}.${key}`);
      }
    };
    expect(fieldMapperPlugin.schema.additionalProperties).toBe(false);
    check(fieldMapperPlugin.schema as never, 'with');
  });
});
