// The tenant's connections, named as the generated users name them, with ids in Auth0's shape
// (`^con_[A-Za-z0-9]{16}$`, the pattern of `connection_id` in
// https://auth0.com/docs/api/management/v2/jobs/post-users-exports). Ids derive from the name, so
// they are the same at every start of the stand-in.
import { createHash } from 'node:crypto';

export interface Auth0Connection {
  id: string;
  name: string;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `con_` and 16 letters and digits derived from the name. */
export function connectionId(name: string): string {
  const digest = createHash('sha256').update(`connection:${name}`).digest();
  let id = 'con_';
  for (let i = 0; i < 16; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}

/** The connections a profile belongs to: those of its identities. */
export function profileConnections(profile: { identities?: unknown }): string[] {
  if (!Array.isArray(profile.identities)) return [];
  return profile.identities
    .map((identity) => (identity && typeof identity === 'object' ? (identity as { connection?: unknown }).connection : undefined))
    .filter((name): name is string => typeof name === 'string');
}
