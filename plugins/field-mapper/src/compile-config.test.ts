import { ConfigError } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { compileFieldMapperConfig } from './compile-config.js';
import type { FieldMapperConfig } from './config-schema.js';

function problemsOf(config: FieldMapperConfig): string[] {
  try {
    compileFieldMapperConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('compileFieldMapperConfig', () => {
  it('defaults every preset option', () => {
    const plan = compileFieldMapperConfig({ preset: 'auth0-to-zitadel' });
    expect(plan.preset).toEqual({
      userName: 'email',
      emailVerified: 'source',
      preferredLanguage: 'tag',
      metadata: {
        include: ['user_metadata', 'app_metadata'],
        keyPrefix: { user_metadata: 'user_metadata.', app_metadata: 'app_metadata.' },
        onOversized: 'reject',
      },
      idpLinks: new Map(),
      blockedState: 'locked',
    });
    expect(plan.mapping).toEqual([]);
  });

  it('accepts a mapping without preset', () => {
    const plan = compileFieldMapperConfig({ mapping: { 'user.userName': 'lower(profile.email)' } });
    expect(plan.preset).toBeUndefined();
    expect(plan.mapping.map((m) => m.name)).toEqual(['user.userName']);
  });

  it.each([
    [{}, ['with: set a preset, a mapping, or both']],
    [{ mapping: {} }, ['with: set a preset, a mapping, or both']],
    [
      { userName: 'username', blockedState: 'inactive', mapping: { x: '"y"' } },
      ['with.userName: only applies with preset: auth0-to-zitadel', 'with.blockedState: only applies with preset: auth0-to-zitadel'],
    ],
    [{ preset: 'okta-to-zitadel' }, ['with.preset: unknown preset "okta-to-zitadel" (known: auth0-to-zitadel)']],
    [{ preset: 'auth0-to-zitadel', userName: 'nickname' }, ['with.userName: must be one of email, username, user_id (got "nickname")']],
    [{ preset: 'auth0-to-zitadel', emailVerified: 'yes' }, ['with.emailVerified: must be one of source, all-verified, all-unverified (got "yes")']],
    [{ preset: 'auth0-to-zitadel', blockedState: 'deleted' }, ['with.blockedState: must be one of locked, inactive (got "deleted")']],
    [{ preset: 'auth0-to-zitadel', metadata: { onOversized: 'truncate' } }, ['with.metadata.onOversized: must be one of reject, drop (got "truncate")']],
    [{ preset: 'auth0-to-zitadel', metadata: { include: ['identities'] } }, ['with.metadata.include[0]: must be one of user_metadata, app_metadata']],
    [{ preset: 'auth0-to-zitadel', idpLinks: { 'google-oauth2': '' } }, ['with.idpLinks.google-oauth2: must be a ZITADEL IdP id']],
    [
      { preset: 'auth0-to-zitadel', mapping: { 'user.profile.nickName': 'lowr(profile.nickname)' } },
      [
        'with.mapping.user.profile.nickName: unknown function "lowr" (known: coalesce, lower, trim, truncate, splitName, language, e164, base64, json, domain, equals, startsWith, endsWith, contains, matches, exists, not, and, or) at column 1 in "lowr(profile.nickname)"',
      ],
    ],
    [
      { preset: 'auth0-to-zitadel', mapping: { 'user.profile.gender': 'GENDER_FEMALE' } },
      [
        'with.mapping.user.profile.gender: source path "GENDER_FEMALE" does not start with profile, password, passwordStatus; write a constant in quotes, e.g. \'"GENDER_FEMALE"\'',
      ],
    ],
    [{ mapping: { '__proto__.isAdmin': 'true' } }, ['with.mapping.__proto__.isAdmin: "__proto__" cannot be written: it names an object prototype']],
    [{ mapping: { 'a.constructor.prototype.x': '1' } }, ['with.mapping.a.constructor.prototype.x: "constructor" cannot be written: it names an object prototype']],
    [
      // every problem at once
      { preset: 'auth0-to-zitadel', userName: 'nick', mapping: { 'user.userName': 'lower(', 'user..x': '1', state: '"USER_STATE_LOCKED"' } },
      [
        'with.userName: must be one of email, username, user_id (got "nick")',
        'with.mapping.user.userName: expected an expression but found the end at column 7 in "lower("',
        'with.mapping.user..x: "user..x" is not a target path (dotted names such as user.profile.nickName, or metadata.<key>)',
      ],
    ],
  ] as [FieldMapperConfig, string[]][])('%j', (config, expected) => {
    expect(problemsOf(config)).toEqual(expected);
  });

  it('lets unknown roots through without a preset (any input shape)', () => {
    expect(problemsOf({ mapping: { name: 'fullName' } })).toEqual([]);
  });
});
