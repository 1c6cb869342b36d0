// The `auth0` source plugin: Auth0 profile exports (NDJSON, JSON array, CSV, gzip) joined with
// the password-hash export. See auth0-source.ts for what it yields and in which order.

import { definePlugin, type PluginContext, type Source } from '@idflow/engine';
import { Auth0Source } from './auth0-source.js';
import { type Auth0SourceConfig, auth0SourceSchema } from './config.js';
import type { Auth0UserRecord } from './record.js';

export type * from './record.js';
export type { Auth0SourceConfig } from './config.js';
export { auth0SourceSchema, encodingSchemas, passwordCheckSchema } from './config.js';
export { Auth0Source } from './auth0-source.js';
export { fingerprintFiles } from './fingerprint.js';

const auth0Source = definePlugin({
  name: 'auth0',
  kind: 'source' as const,
  description: 'Reads Auth0 profile exports (NDJSON, JSON array, CSV, gzip) joined with the password-hash export.',
  schema: auth0SourceSchema,
  create(config: Auth0SourceConfig, ctx: PluginContext): Source<Auth0UserRecord> {
    return new Auth0Source(config, ctx);
  },
});

export default auth0Source;
