// Machine users and their credentials: PATs, OAuth clients, JWT-profile public keys and issued
// access tokens. Only SHA-256 digests of secrets are stored, so the database file holds none.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorDatabase } from './open-database.js';

/**
 * What a machine user may do: `IAM_OWNER` everything (import, events, every org);
 * `ORG_USER_WRITER` only v2 user calls in its own org (`user.write`), for testing 403s.
 */
export type MachineRole = 'IAM_OWNER' | 'ORG_USER_WRITER';

export interface MachineUser {
  id: string;
  orgId: string;
  name: string;
  role: MachineRole;
}

/** The caller behind a valid bearer token. */
export interface Principal extends MachineUser {
  /** False when the token was issued without the ZITADEL API audience scope. */
  apiAudience: boolean;
}

export type TokenLookup = { ok: true; principal: Principal } | { ok: false; reason: 'unknown' | 'expired' };

/** The digest under which a secret (token, client secret) is stored. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** How many tokens' lookups are kept in memory; beyond it the cache starts over. */
const TOKEN_CACHE_SIZE = 1024;

export class CredentialStore {
  private readonly statements;
  /**
   * Successful token lookups by token: every API call authenticates, and a SHA-256 plus two
   * SQLite reads per call were a tenth of a v2 create's CPU. Only this store writes tokens and
   * machine users, so it drops what a write changes; expiry is checked at every use.
   */
  private readonly tokenCache = new Map<string, { principal: Principal; expiresAtMs: number | null }>();

  constructor(db: EmulatorDatabase) {
    this.statements = {
      insertUser: db.prepare(
        'INSERT INTO machine_users (id, org_id, name, role) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET role = excluded.role',
      ),
      findUser: db.prepare('SELECT id, org_id AS orgId, name, role FROM machine_users WHERE id = ?'),
      findUserByName: db.prepare('SELECT id, org_id AS orgId, name, role FROM machine_users WHERE name = ?'),
      insertToken: db.prepare(
        'INSERT OR REPLACE INTO access_tokens (token_hash, user_id, kind, api_audience, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      findToken: db.prepare('SELECT user_id, api_audience, expires_at FROM access_tokens WHERE token_hash = ?'),
      deleteExpired: db.prepare('DELETE FROM access_tokens WHERE expires_at IS NOT NULL AND expires_at < ?'),
      insertKey: db.prepare('INSERT INTO machine_keys (key_id, user_id, public_key_pem) VALUES (?, ?, ?)'),
      findKey: db.prepare('SELECT user_id AS userId, public_key_pem AS publicKeyPem FROM machine_keys WHERE key_id = ?'),
      insertClient: db.prepare('INSERT INTO oauth_clients (client_id, secret_hash, user_id) VALUES (?, ?, ?)'),
      findClient: db.prepare('SELECT secret_hash AS secretHash, user_id AS userId FROM oauth_clients WHERE client_id = ?'),
    };
  }

  saveMachineUser(user: MachineUser): void {
    this.statements.insertUser.run(user.id, user.orgId, user.name, user.role);
    this.tokenCache.clear();
  }

  findMachineUser(userId: string): MachineUser | undefined {
    return this.statements.findUser.get(userId) as MachineUser | undefined;
  }

  findMachineUserByName(name: string): MachineUser | undefined {
    return this.statements.findUserByName.get(name) as MachineUser | undefined;
  }

  /** Stores a PAT (no expiry) for a machine user. */
  savePersonalAccessToken(token: string, userId: string): void {
    this.statements.insertToken.run(secretDigest(token), userId, 'pat', 1, null);
    this.tokenCache.delete(token);
  }

  /** Stores an access token issued by the token endpoint, valid until `expiresAtMs`. */
  saveAccessToken(token: string, userId: string, apiAudience: boolean, expiresAtMs: number): void {
    this.statements.deleteExpired.run(Date.now());
    this.statements.insertToken.run(secretDigest(token), userId, 'access', apiAudience ? 1 : 0, expiresAtMs);
    this.tokenCache.delete(token);
  }

  findToken(token: string, nowMs: number): TokenLookup {
    const cached = this.tokenCache.get(token);
    if (cached) {
      if (cached.expiresAtMs !== null && cached.expiresAtMs <= nowMs) return { ok: false, reason: 'expired' };
      return { ok: true, principal: cached.principal };
    }
    const row = this.statements.findToken.get(secretDigest(token)) as
      | { user_id: string; api_audience: number; expires_at: number | null }
      | undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.expires_at !== null && row.expires_at <= nowMs) return { ok: false, reason: 'expired' };
    const user = this.findMachineUser(row.user_id);
    if (!user) return { ok: false, reason: 'unknown' };
    const principal: Principal = Object.freeze({ ...user, apiAudience: row.api_audience === 1 });
    if (this.tokenCache.size >= TOKEN_CACHE_SIZE) this.tokenCache.clear();
    this.tokenCache.set(token, { principal, expiresAtMs: row.expires_at });
    return { ok: true, principal };
  }

  saveKey(keyId: string, userId: string, publicKeyPem: string): void {
    this.statements.insertKey.run(keyId, userId, publicKeyPem);
  }

  findKey(keyId: string): { userId: string; publicKeyPem: string } | undefined {
    return this.statements.findKey.get(keyId) as { userId: string; publicKeyPem: string } | undefined;
  }

  saveClient(clientId: string, clientSecret: string, userId: string): void {
    this.statements.insertClient.run(clientId, secretDigest(clientSecret), userId);
  }

  /** The machine user behind a client id and secret, or undefined when either is wrong. */
  authenticateClient(clientId: string, clientSecret: string): string | undefined {
    const row = this.statements.findClient.get(clientId) as { secretHash: string; userId: string } | undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.secretHash), Buffer.from(secretDigest(clientSecret)))) return undefined;
    return row.userId;
  }
}
