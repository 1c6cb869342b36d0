// @idflow/zitadel-emulator: a local ZITADEL API (the subset idflow uses) with SQLite persistence,
// real password verification, rate limits, capacity and seeded fault injection.
export type { ServiceAccountKeyFile, ServiceUserCredentials, ServiceUserOptions } from './auth/service-user.js';
export { API_AUDIENCE_SCOPE } from './auth/token-endpoint.js';
export { EmulatorFlagError, type EmulatorFlags, emulatorOptionsFromFlags, formatStartupBanner } from './cli-flags.js';
export type { MachineRole } from './db/credential-store.js';
export type { EmulatorStatsSnapshot } from './emulator-stats.js';
export { FAULT_KINDS, type FaultKind, parseFaultSpec } from './faults/fault-plan.js';
export { parseGoDuration } from './go-duration.js';
export { DEFAULT_IDP_OPTIONS, type IdpOptions } from './idps/idp-store.js';
export {
  CLOUD_RATE_LIMIT_PER_SECOND,
  type EmulatorIdpOption,
  type EmulatorOptions,
  type EmulatorOrgOption,
  type FaultOptions,
  type FaultProbabilities,
  type LoginPolicyOption,
} from './options.js';
export { type RunningEmulator, startEmulator } from './server.js';

import type { ServiceUserCredentials, ServiceUserOptions } from './auth/service-user.js';
import type { RunningEmulator } from './server.js';

/** Creates a service user on a running emulator; writes its key JSON to `options.keyFile` (mode 0600). */
export function createServiceUser(emulator: RunningEmulator, options?: ServiceUserOptions): Promise<ServiceUserCredentials> {
  return emulator.createServiceUser(options);
}
export {
  Auth0StandInFlagError,
  type Auth0StandInFlags,
  auth0StandInOptionsFromFlags,
  formatAuth0Banner,
  type Auth0Connection,
  type Auth0FaultOptions,
  type Auth0JobOptions,
  type Auth0StandInOptions,
  type Auth0StandInStats,
  type RunningAuth0StandIn,
  startAuth0StandIn,
} from './auth0/index.js';
export { findUserLikeHostedLogin, type HostedLoginLookup } from './login/hosted-login-lookup.js';
