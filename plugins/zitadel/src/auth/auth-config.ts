// The `auth:` block shared by both HTTP sinks and `idflow verify`. A pipeline may list every kind
// with `${VAR:-}` defaults; the first non-empty one is used, so one YAML serves every setup.
import { ConfigError } from '@idflow/engine';

/** `auth:` as written in a pipeline (empty strings mean "not given"). */
export interface AuthConfig {
  pat?: string;
  clientCredentials?: { clientId?: string; clientSecret?: string };
  keyFile?: string;
  /** Token endpoint scope; default asks for the ZITADEL API audience. */
  scope?: string;
}

/** Exactly one way to authenticate, chosen from `AuthConfig`. */
export type ResolvedAuth =
  | { kind: 'pat'; pat: string }
  | { kind: 'client-credentials'; clientId: string; clientSecret: string; scope: string }
  | { kind: 'key-file'; keyFile: string; scope: string };

export const defaultScope = 'openid urn:zitadel:iam:org:project:id:zitadel:aud';

export const authSchema = {
  type: 'object',
  // Credentials: never part of the settings a checkpoint is bound to, never shown.
  'x-idflow': 'secret',
  description:
    'How to authenticate. Give one of pat, clientCredentials or keyFile; empty values are ignored, so a pipeline can offer all three through environment variables with empty defaults.',
  additionalProperties: false,
  properties: {
    pat: { type: 'string', description: 'Personal access token of a service user.' },
    clientCredentials: {
      type: 'object',
      description: 'Service user client id and secret (OAuth client credentials grant); the token is cached and refreshed before expiry.',
      additionalProperties: false,
      properties: {
        clientId: { type: 'string', description: 'Client id of the service user.' },
        clientSecret: { type: 'string', description: 'Client secret of the service user.' },
      },
    },
    keyFile: { type: 'string', 'x-idflow': 'secret-file', description: 'Path to a service user JSON key file (JWT bearer grant, RS256).' },
    scope: { type: 'string', description: `Scope asked at the token endpoint (default "${defaultScope}").` },
  },
} as const;

/** Picks the first non-empty credential: pat, then client credentials, then key file. */
export function resolveAuth(config: AuthConfig | undefined, configPath = 'sink.with.auth'): ResolvedAuth {
  const scope = config?.scope?.trim() || defaultScope;
  const pat = config?.pat?.trim();
  if (pat) return { kind: 'pat', pat };
  const clientId = config?.clientCredentials?.clientId?.trim();
  const clientSecret = config?.clientCredentials?.clientSecret?.trim();
  if (clientId && clientSecret) return { kind: 'client-credentials', clientId, clientSecret, scope };
  if (clientId || clientSecret) {
    throw new ConfigError([{ path: `${configPath}.clientCredentials`, message: 'needs both clientId and clientSecret' }]);
  }
  const keyFile = config?.keyFile?.trim();
  if (keyFile) return { kind: 'key-file', keyFile, scope };
  throw new ConfigError([
    { path: configPath, message: 'no credentials: set pat, clientCredentials {clientId, clientSecret} or keyFile' },
  ]);
}
