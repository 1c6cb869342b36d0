// Social and enterprise identities (Google, GitHub, SAML…) have no password to migrate: in ZITADEL
// such a user signs in through an IdP link, which needs the ZITADEL IdP id the pipeline maps the
// Auth0 connection to (`idpLinks: {google-oauth2: "<idp id>"}`).

import type { Auth0Identity, Auth0Profile } from '@idflow/plugin-auth0';
import { truncateRunes, ZITADEL_LIMITS } from '@idflow/plugin-zitadel-validate';
import type { ImportIdpLink } from '@idflow/zitadel-model';

/** Providers whose users authenticate at Auth0 itself: database and passwordless connections. */
const AUTH0_OWN_PROVIDERS = new Set(['auth0', 'email', 'sms']);

export interface IdpLinkOutcome {
  links: ImportIdpLink[];
  /** External identities whose connection the pipeline does not map. */
  unmappedConnections: string[];
  /** How many external identities the user has. */
  externalIdentities: number;
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The user's identities; without an `identities` list (CSV exports), the one `user_id` implies. */
function identitiesOf(profile: Auth0Profile): Partial<Auth0Identity>[] {
  if (Array.isArray(profile.identities)) return profile.identities.filter(isObject) as Partial<Auth0Identity>[];
  const bar = profile.user_id.indexOf('|');
  if (bar <= 0) return [];
  const provider = profile.user_id.slice(0, bar);
  // Social connections are named after their strategy by default (`google-oauth2`).
  return [{ provider, connection: provider, user_id: profile.user_id.slice(bar + 1) }];
}

/** IdP links for the user's external identities whose connection is mapped in `idpLinks`. */
export function auth0IdpLinks(profile: Auth0Profile, idpLinks: ReadonlyMap<string, string>): IdpLinkOutcome {
  const outcome: IdpLinkOutcome = { links: [], unmappedConnections: [], externalIdentities: 0 };
  let seen: Set<string> | undefined; // made on the first link: most users have none
  for (const identity of identitiesOf(profile)) {
    const provider = typeof identity.provider === 'string' ? identity.provider : undefined;
    if (!provider || AUTH0_OWN_PROVIDERS.has(provider)) continue;
    outcome.externalIdentities++;
    const connection = typeof identity.connection === 'string' ? identity.connection : provider;
    const configId = idpLinks.get(connection);
    // GitHub and some others export a numeric id.
    const externalUserId = identity.user_id === undefined || identity.user_id === null ? '' : String(identity.user_id);
    if (!configId || externalUserId === '') {
      outcome.unmappedConnections.push(connection);
      continue;
    }
    const linkKey = `${configId}\n${externalUserId}`;
    seen ??= new Set<string>();
    if (seen.has(linkKey)) continue;
    seen.add(linkKey);
    const data = isObject(identity.profileData) ? identity.profileData : {};
    const shown = [data.email, data.name, profile.email].find((v): v is string => typeof v === 'string' && v !== '');
    const link: ImportIdpLink = { configId, externalUserId };
    if (shown) link.displayName = truncateRunes(shown, ZITADEL_LIMITS.textRunes);
    outcome.links.push(link);
  }
  return outcome;
}
