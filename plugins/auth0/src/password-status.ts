// Why a user has no password: social and enterprise users sign in elsewhere, passwordless users
// (`email|…`, `sms|…`) never had one; a database user without a record is `missing`.

import type { Auth0Profile, PasswordStatus } from './record.js';

const passwordlessProviders = new Set(['email', 'sms']);

/** The connection a profile belongs to: the identity matching its `user_id` provider, else the first. */
export function profileConnection(profile: Auth0Profile): string | undefined {
  const identities = Array.isArray(profile.identities) ? profile.identities : [];
  const provider = profile.user_id.slice(0, profile.user_id.indexOf('|'));
  const own = identities.find((identity) => identity?.provider === provider) ?? identities[0];
  return typeof own?.connection === 'string' ? own.connection : undefined;
}

/** The cause for a profile that has no usable password. */
export function missingPasswordCause(profile: Auth0Profile): Exclude<PasswordStatus, 'present' | 'empty-hash'> {
  const bar = profile.user_id.indexOf('|');
  const provider = bar === -1 ? 'auth0' : profile.user_id.slice(0, bar);
  if (passwordlessProviders.has(provider)) return 'passwordless';
  if (provider !== 'auth0') return 'social';
  return 'missing';
}
