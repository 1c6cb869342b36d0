// Linked accounts. Auth0 links a secondary account into a primary one: the secondary disappears
// from the user list (so from the bulk export) and lives on as an entry of the primary's
// `identities[]` (`{provider, user_id, connection}`, the primary first); the user signs in with
// either account and always gets the primary profile. A database account linked under a social
// primary still signs in with its password, and its password record in the support export is
// keyed by that identity's id. So its hash belongs to the primary profile: the user keeps the
// password Auth0 accepted for it.

import type { Auth0Password, Auth0Profile } from './record.js';

/** A linked (secondary) database identity of a profile, as its join key and connection. */
export interface LinkedDatabaseIdentity {
  key: string;
  connection?: string;
}

/** The profile's linked database identities (`auth0` provider, not the profile's own id), in `identities[]` order. */
export function linkedDatabaseIdentities(profile: Auth0Profile): LinkedDatabaseIdentity[] {
  if (!Array.isArray(profile.identities)) return [];
  const linked: LinkedDatabaseIdentity[] = [];
  for (const identity of profile.identities) {
    if (identity?.provider !== 'auth0' || typeof identity.user_id !== 'string' || identity.user_id === '') continue;
    const key = `auth0|${identity.user_id}`;
    if (key === profile.user_id) continue;
    linked.push(typeof identity.connection === 'string' ? { key, connection: identity.connection } : { key });
  }
  return linked;
}

/** Whether a password record can be the identity's: the same connection, where both name one. */
export function sameConnection(identity: LinkedDatabaseIdentity, password: Auth0Password): boolean {
  return identity.connection === undefined || password.connection === undefined || identity.connection === password.connection;
}
