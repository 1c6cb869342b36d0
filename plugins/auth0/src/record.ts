// The record the `auth0` source emits: one Auth0 user profile joined with its password hash.
// Downstream plugins (the field mapper's auth0-to-zitadel preset) read these paths.

export interface Auth0Identity {
  connection: string;
  provider: string;
  user_id: string;
  isSocial: boolean;
  profileData?: { [key: string]: unknown };
}

/** A profile from the Management API bulk export. Any field may be missing. */
export interface Auth0Profile {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  locale?: string;
  identities?: Auth0Identity[];
  app_metadata?: { [key: string]: unknown };
  user_metadata?: { [key: string]: unknown };
  blocked?: boolean;
  created_at?: string;
  updated_at?: string;
  last_login?: string;
  [key: string]: unknown;
}

/** A password-hash export entry, reduced to what a migration needs. */
export interface Auth0Password {
  /** The encoded hash as exported (`$2b$10$…`, PHC strings, hex…). */
  hash: string;
  /** `password_set_date.$date` */
  setDate?: string;
  connection?: string;
  /** `_id.$oid` */
  oid: string;
  altId?: string;
  email?: string;
}

/** Why a user has no password, when it has none. */
export type PasswordStatus = 'present' | 'social' | 'passwordless' | 'empty-hash' | 'missing';

/** What the `auth0` source yields for every user. */
export interface Auth0UserRecord {
  profile: Auth0Profile;
  password?: Auth0Password;
  passwordStatus: PasswordStatus;
}
