// The `auth0-management` source plugin: runs the Auth0 Management API users-export job, downloads
// its file and reads it like the `auth0` source (joined with the password export). See
// management-source.ts for what happens when.
import { definePlugin, type PluginContext, type Source } from '@idflow/engine';
import type { Auth0UserRecord } from '@idflow/plugin-auth0';
import { checkManagementConfig, DEFAULT_EXPORT_FIELDS, type ManagementSourceConfig, managementSourceSchema } from './config.js';
import { ManagementSource } from './management-source.js';

export { DEFAULT_EXPORT_FIELDS, type ManagementSourceConfig, managementSourceSchema };
export { ManagementSource };

const auth0ManagementSource = definePlugin({
  name: 'auth0-management',
  kind: 'source' as const,
  description: 'Runs the Auth0 Management API users-export job (token, job, download), then reads the file like the auth0 source, joined with the password export.',
  schema: managementSourceSchema,
  validate: checkManagementConfig,
  create(config: ManagementSourceConfig, ctx: PluginContext): Source<Auth0UserRecord> {
    return new ManagementSource(config, ctx);
  },
});

export default auth0ManagementSource;
