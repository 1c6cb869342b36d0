// The `with:` block of the `auth0-management` source: its JSON Schema (docs are generated from
// it), its type, the checks a schema cannot express, and the settings resolved from it.
import type { ConfigCheckProblem, JsonSchema } from '@idflow/engine';
import { type Auth0SourceConfig, encodingSchemas, passwordCheckSchema } from '@idflow/plugin-auth0';
import { AUTH0_PRESET_PROFILE_FIELDS } from '@idflow/plugin-field-mapper';
import { parseDuration } from './duration.js';
import { tenantUrl } from './tenant-url.js';

/** Keys passed through to the auth0 source as they are, with its schema and its type. */
type ReadingOptions = Pick<Auth0SourceConfig, 'encoding' | 'passwordsEncoding' | 'passwordCheck'>;

export interface ManagementSourceConfig extends ReadingOptions {
  domain: string;
  clientId: string;
  clientSecret: string;
  audience?: string;
  connectionId?: string;
  fields?: string[];
  limit?: number;
  download: string;
  passwords?: string;
  joinBy?: 'id' | 'email';
  connections?: string[];
  spillThreshold?: number;
  poll?: { initialDelay?: string; maxDelay?: string; timeout?: string };
}

/** Fields the source itself reads: the join key, the connection (filter, password cause) and the email (fallback join). */
const SOURCE_FIELDS = ['user_id', 'identities', 'email'];

/** The export's default `fields`: what the source and the auth0-to-zitadel preset read, nothing more. */
export const DEFAULT_EXPORT_FIELDS: readonly string[] = [...new Set([...SOURCE_FIELDS, ...AUTH0_PRESET_PROFILE_FIELDS])];

/** Auth0 exports at most 30 fields (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports). */
const MAX_FIELDS = 30;
const DURATION = { type: 'string', pattern: '^\\d+(ms|s|m|h)$' };

export const managementSourceSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'clientId', 'clientSecret', 'download'],
  properties: {
    domain: {
      type: 'string',
      minLength: 1,
      description:
        'The Auth0 tenant domain, e.g. `acme.eu.auth0.com` (HTTPS), or a URL; plain http:// only to a loopback address (the stand-in: `idflow emulator --auth0`).',
    },
    clientId: { type: 'string', minLength: 1, description: 'Client id of a machine-to-machine application authorized for the Management API with the `read:users` scope.' },
    clientSecret: { type: 'string', minLength: 1, 'x-idflow': 'secret', description: 'Its client secret (from the environment; never logged).' },
    audience: { type: 'string', description: 'Audience of the token (default `https://<domain>/api/v2/`; with a custom domain, the canonical `https://<tenant>.auth0.com/api/v2/`).' },
    connectionId: {
      type: 'string',
      pattern: '^(con_[A-Za-z0-9]{16})?$',
      description: 'Export only the users of this connection (`con_…`, from the dashboard); empty or absent: all users of the tenant. Password records of other connections are then counted as filtered, not as orphans.',
    },
    fields: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      maxItems: MAX_FIELDS,
      description: `Profile fields the export job writes (root properties; JSON exports include nested values). Default: what this source and the auth0-to-zitadel preset read (${DEFAULT_EXPORT_FIELDS.join(', ')}); add the fields your own mapping reads. Must include user_id.`,
    },
    limit: { type: 'integer', minimum: 1, description: 'Export at most this many users (a rehearsal on a sample).' },
    download: {
      type: 'string',
      minLength: 1,
      'x-idflow': 'output-path',
      description:
        'Where the downloaded export is kept (gzip, mode 0600: it holds personal data), with `<download>.job.json` beside it naming its job. Keep it beside the checkpoint: a re-run reuses it (and a job not yet downloaded), so a resumed run reads the very same users; delete both to export anew. Relative to the pipeline file.',
    },
    passwords: {
      type: 'string',
      'x-idflow': 'input-path',
      description:
        'Password-hash export from Auth0 support (NDJSON, MongoDB extended JSON), optionally gzip-compressed; joined as by the auth0 source. Checked before anything is written (see passwordCheck).',
    },
    joinBy: { type: 'string', enum: ['id', 'email'], default: 'id', description: 'How passwords are matched to profiles (see the auth0 source).' },
    connections: { type: 'array', items: { type: 'string' }, description: 'Only users of these connection names are read (see the auth0 source); default the exported connection, or all.' },
    spillThreshold: { type: 'integer', minimum: 1, 'x-idflow': 'tuning', description: 'See the auth0 source: above this many passwords the join index lives in SQLite on disk.' },
    ...encodingSchemas,
    passwordCheck: passwordCheckSchema,
    poll: {
      type: 'object',
      additionalProperties: false,
      'x-idflow': 'tuning',
      description: 'How the export job is polled (GET /api/v2/jobs/{id}).',
      properties: {
        initialDelay: { ...DURATION, description: 'First wait between status reads, growing ×1.5 per read (default "1s").' },
        maxDelay: { ...DURATION, description: 'Longest wait between status reads (default "30s").' },
        timeout: { ...DURATION, description: 'Give up when the job has not completed after this long (default "6h").' },
      },
    },
  },
};

/** The resolved polling settings, in ms. */
export interface PollSettings {
  initialDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export function pollSettings(config: ManagementSourceConfig): PollSettings {
  return {
    initialDelayMs: parseDuration(config.poll?.initialDelay ?? '1s'),
    maxDelayMs: parseDuration(config.poll?.maxDelay ?? '30s'),
    timeoutMs: parseDuration(config.poll?.timeout ?? '6h'),
  };
}

/** What a schema cannot check: the tenant URL's scheme and the join key among the fields. */
export function checkManagementConfig(config: ManagementSourceConfig): ConfigCheckProblem[] {
  const problems: ConfigCheckProblem[] = [];
  try {
    tenantUrl(config.domain);
  } catch (error) {
    problems.push({ path: ['domain'], message: (error as Error).message });
  }
  if (config.audience !== undefined) {
    try {
      tenantUrl(config.audience);
    } catch (error) {
      problems.push({ path: ['audience'], message: (error as Error).message });
    }
  }
  if (config.fields && !config.fields.includes('user_id')) {
    problems.push({ path: ['fields'], message: 'must include user_id: profiles are joined to passwords, checkpointed and imported by it' });
  }
  return problems;
}
