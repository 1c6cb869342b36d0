// The built-in plugins: every plugin package's default export (one plugin or an array).
import { createRegistry, type Plugin, type PluginRegistry, trustSchemas } from '@idflow/engine';
import auth0 from '@idflow/plugin-auth0';
import auth0Management from '@idflow/plugin-auth0-management';
import fieldMapper from '@idflow/plugin-field-mapper';
import filter from '@idflow/plugin-filter';
import hashValidator from '@idflow/plugin-hash-validator';
import ndjson from '@idflow/plugin-ndjson';
import zitadel from '@idflow/plugin-zitadel';
import zitadelValidate from '@idflow/plugin-zitadel-validate';

const modules: readonly (Plugin | readonly Plugin[])[] = [ndjson, auth0, auth0Management, fieldMapper, filter, hashValidator, zitadelValidate, zitadel];

/** Every built-in plugin. */
export const builtinPlugins: readonly Plugin[] = modules.flat() as Plugin[];

// Their schemas are checked against the JSON Schema meta-schema by builtins.test.ts, not at each start.
trustSchemas(builtinPlugins.map((plugin) => plugin.schema));

/** A fresh registry holding the built-in plugins. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = createRegistry();
  registry.register(builtinPlugins, 'built-in plugins');
  return registry;
}
