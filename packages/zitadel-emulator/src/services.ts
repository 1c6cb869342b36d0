// The shared parts every route handler uses, built once by startEmulator.
import type { CredentialStore } from './db/credential-store.js';
import type { UserStore } from './db/user-store.js';
import type { IdpStore } from './idps/idp-store.js';
import type { RequestCounters } from './emulator-stats.js';
import type { ResolvedOptions } from './options.js';
import type { PasswordHashPolicy } from './password/hash-policy.js';

export interface EmulatorServices {
  store: UserStore;
  credentials: CredentialStore;
  idps: IdpStore;
  hashPolicy: PasswordHashPolicy;
  counters: RequestCounters;
  options: ResolvedOptions;
  /** The first ready org: where users of callers without an explicit org go. */
  defaultOrgId: string;
}
