// The emulator's SQLite file: one schema for users, metadata, events, sessions and credentials.
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

export type EmulatorDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS org_domains (
  domain_key TEXT PRIMARY KEY,
  org_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  state TEXT NOT NULL,
  password_hash TEXT,
  password_change_required INTEGER NOT NULL DEFAULT 0,
  human_json TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  changed_at TEXT NOT NULL
);
-- (org_id, id): an org paged in id order (ListUsers's default sort) reads the index, no sort per page.
CREATE INDEX IF NOT EXISTS users_org_id ON users (org_id, id);
CREATE INDEX IF NOT EXISTS users_email ON users (email);
-- lower(email): the login UI finds a user by its e-mail ignoring case (emailQuery EQUALS_IGNORE_CASE).
CREATE INDEX IF NOT EXISTS users_email_lower ON users (lower(email));
-- The same expression as the phone column of user-list-query.ts, for the login UI's phoneQuery.
CREATE INDEX IF NOT EXISTS users_phone ON users (coalesce(json_extract(human_json, '$.phone.phone'), ''));
CREATE TABLE IF NOT EXISTS user_metadata (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT '',
  changed_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, key)
);
CREATE TABLE IF NOT EXISTS user_idp_links (
  idp_id TEXT NOT NULL,
  external_user_id_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (idp_id, external_user_id_key)
);
CREATE TABLE IF NOT EXISTS events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  resource_owner TEXT NOT NULL,
  editor_user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  payload_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_aggregate ON events (aggregate_id);
CREATE INDEX IF NOT EXISTS events_type ON events (type);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS machine_users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS machine_keys (
  key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  public_key_pem TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_clients (
  client_id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  user_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS access_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  api_audience INTEGER NOT NULL,
  expires_at INTEGER
);
`;

/** Opens (and creates) the database at `path` (a file or ':memory:') in WAL mode with the schema. */
export function openEmulatorDatabase(path: string): EmulatorDatabase {
  if (path !== ':memory:' && path !== '') {
    // The file holds password hashes: owner-only, and SQLite gives its -wal/-shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  // NORMAL keeps committed transactions across a process crash in WAL mode; a power cut may lose the
  // last ones, which an emulator accepts for the throughput.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  addMissingColumns(db);
  return db;
}

/** Columns added after the first release, so a database file written by an older emulator still opens. */
const ADDED_COLUMNS = [
  { table: 'user_metadata', column: 'created_at', definition: "TEXT NOT NULL DEFAULT ''" },
  { table: 'user_metadata', column: 'changed_at', definition: "TEXT NOT NULL DEFAULT ''" },
] as const;

function addMissingColumns(db: EmulatorDatabase): void {
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.pragma(`table_info(${table})`) as { name: string }[];
    if (!columns.some((existing) => existing.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
}
