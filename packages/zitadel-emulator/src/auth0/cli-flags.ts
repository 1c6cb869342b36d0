// `idflow emulator --auth0` flags → Auth0StandInOptions, and the stand-in's startup banner. Kept
// here (not in the CLI) so the command stays a thin parse-and-start, tested with the stand-in.
import type { Auth0StandInOptions } from './options.js';
import type { RunningAuth0StandIn } from './server.js';

export interface Auth0StandInFlags {
  auth0Port?: number;
  auth0Users?: number;
  auth0Seed?: number;
  auth0Dir?: string;
  host?: string;
}

/** A flag value that cannot work; the message names the flag. */
export class Auth0StandInFlagError extends Error {}

/** Maps the `--auth0-*` flags to options; throws Auth0StandInFlagError naming the bad flag. */
export function auth0StandInOptionsFromFlags(flags: Auth0StandInFlags): Auth0StandInOptions {
  if (flags.auth0Port !== undefined && !(Number.isInteger(flags.auth0Port) && flags.auth0Port >= 0 && flags.auth0Port <= 65535)) {
    throw new Auth0StandInFlagError(`--auth0-port: expected 0–65535 (got ${flags.auth0Port})`);
  }
  if (flags.auth0Users !== undefined && !(Number.isInteger(flags.auth0Users) && flags.auth0Users >= 1)) {
    throw new Auth0StandInFlagError(`--auth0-users: expected a positive integer (got ${flags.auth0Users})`);
  }
  return { port: flags.auth0Port, host: flags.host, users: flags.auth0Users, seed: flags.auth0Seed, dir: flags.auth0Dir };
}

/** The environment a pipeline needs to export from the stand-in, its connections and where its password export is. */
export function formatAuth0Banner(standIn: RunningAuth0StandIn): string {
  return [
    `Auth0 Management API stand-in listening on ${standIn.url} (${standIn.generated.expected.users} users, tenant ${standIn.tenant})`,
    `  AUTH0_DOMAIN=${standIn.url}`,
    `  AUTH0_CLIENT_ID=${standIn.clientId}`,
    `  AUTH0_CLIENT_SECRET=${standIn.clientSecret}`,
    `  AUTH0_PASSWORDS=${standIn.passwordsPath}   (the password-hash export Auth0 support would send for these users)`,
    `  connections: ${standIn.connections.map((c) => `${c.name} ${c.id}`).join(', ')}`,
    '',
  ].join('\n');
}
