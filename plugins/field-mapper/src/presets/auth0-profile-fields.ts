// The Auth0 profile fields the auth0-to-zitadel preset reads, whatever its options. An Auth0 export
// job asked for exactly these (the `auth0-management` source's default `fields`) gives the preset
// everything it maps and carries no other personal data; auth0-profile-fields.test.ts maps profiles
// through a recording proxy so this list stays true when the preset changes.

/** Top-level profile keys the auth0-to-zitadel preset reads. */
export const AUTH0_PRESET_PROFILE_FIELDS: readonly string[] = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'locale',
  'phone_number',
  'phone_verified',
  'identities',
  'user_metadata',
  'app_metadata',
  'blocked',
];
