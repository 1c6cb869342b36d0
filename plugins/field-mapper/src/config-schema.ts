// The field-mapper's `with:` block: its TypeScript type and the JSON Schema idflow validates it
// with and generates its documentation from.

import type { JsonSchema } from '@idflow/engine';
import type { Literal } from './expression/syntax.js';

export interface FieldMapperConfig {
  preset?: 'auth0-to-zitadel';
  userName?: 'email' | 'username' | 'user_id';
  emailVerified?: 'source' | 'all-verified' | 'all-unverified';
  preferredLanguage?: 'tag' | 'base';
  metadata?: {
    include?: ('user_metadata' | 'app_metadata')[];
    keyPrefix?: { user_metadata?: string; app_metadata?: string };
    onOversized?: 'reject' | 'drop';
  };
  idpLinks?: { [auth0Connection: string]: string };
  blockedState?: 'locked' | 'inactive';
  mapping?: { [target: string]: Literal };
}

/** Options that only mean something with `preset: auth0-to-zitadel`. */
export const PRESET_OPTIONS = ['userName', 'emailVerified', 'preferredLanguage', 'metadata', 'idpLinks', 'blockedState'] as const;

// No `default`s below: the runner fills defaults into the config, and a preset option present
// without a preset is reported as a mistake. The defaults are stated in the descriptions.
export const fieldMapperSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Builds each output record from a preset and/or a mapping of target paths to expressions.',
  properties: {
    preset: {
      type: 'string',
      enum: ['auth0-to-zitadel'],
      description:
        'A ready-made mapping. `auth0-to-zitadel` turns the auth0 source\'s records into ZITADEL users (ImportHumanUserRequest, metadata, state) by the rules in plugins/field-mapper/README.md; `mapping` entries then override or extend its output.',
    },
    userName: {
      type: 'string',
      enum: ['email', 'username', 'user_id'],
      description: 'auth0-to-zitadel: what becomes the ZITADEL userName. `email` (default), `username` (Auth0 username, else the email) or `user_id`.',
    },
    emailVerified: {
      type: 'string',
      enum: ['source', 'all-verified', 'all-unverified'],
      description: 'auth0-to-zitadel: `source` (default) keeps Auth0\'s email_verified; `all-verified` / `all-unverified` force it for every user.',
    },
    preferredLanguage: {
      type: 'string',
      enum: ['tag', 'base'],
      description: 'auth0-to-zitadel: from Auth0\'s locale, keep the full tag (`tag`, default: pt_BR → pt-BR) or only the language (`base`: pt_BR → pt). Invalid locales are omitted and counted.',
    },
    metadata: {
      type: 'object',
      additionalProperties: false,
      description: 'auth0-to-zitadel: how user_metadata and app_metadata become ZITADEL user metadata (one entry per top-level key, value = base64 of its JSON).',
      properties: {
        include: {
          type: 'array',
          items: { type: 'string', enum: ['user_metadata', 'app_metadata'] },
          uniqueItems: true,
          description: 'Which Auth0 metadata objects to carry over (default both; [] for none).',
        },
        keyPrefix: {
          type: 'object',
          additionalProperties: false,
          description: 'Prefix of the ZITADEL metadata key per source (defaults `user_metadata.` and `app_metadata.`, so keys of the two never collide).',
          properties: {
            user_metadata: { type: 'string', description: 'Prefix for keys from user_metadata (default `user_metadata.`).' },
            app_metadata: { type: 'string', description: 'Prefix for keys from app_metadata (default `app_metadata.`).' },
          },
        },
        onOversized: {
          type: 'string',
          enum: ['reject', 'drop'],
          description:
            'A value over ZITADEL\'s 500,000 bytes (as JSON) or a key over 200 runes: `reject` (default) sends the user to the dead-letter output, nothing lost; `drop` imports the user without that entry, with a warning and a count.',
        },
      },
    },
    idpLinks: {
      type: 'object',
      additionalProperties: { type: 'string', minLength: 1 },
      description:
        'auth0-to-zitadel: Auth0 connection name → ZITADEL IdP id, e.g. `{google-oauth2: "2871..."}`. Users of a mapped connection get an IdP link; others with only social/enterprise identities are counted as `needs IdP link`.',
    },
    blockedState: {
      type: 'string',
      enum: ['locked', 'inactive'],
      description: 'auth0-to-zitadel: the ZITADEL state of users blocked in Auth0: `locked` (default) or `inactive`.',
    },
    mapping: {
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
      description:
        'Target path ← expression. Targets: dotted output paths (`user.profile.nickName`) or `metadata.<key>`. Expressions: a source path (`profile.email`, `profile.user_metadata["favorite-color"]`), a quoted string or template (`"{profile.given_name} {profile.family_name}"`), or a function: coalesce, lower, trim, truncate(text, n), splitName(name, "first"|"last"), language(locale), e164, base64, json, domain(email), and the true/false predicates equals, startsWith, endsWith, contains, matches, exists, not, and, or (see the filter transform). A result of nothing removes the target.',
    },
  },
};
