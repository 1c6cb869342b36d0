// Parses one line of the password-hash export (MongoDB extended JSON) into the join key and the
// `Auth0Password` a record carries. The key is `auth0|` + (`alt_id` if present, else `_id.$oid`).

import type { Auth0Password } from './record.js';

type JsonObject = { [key: string]: unknown };

/** `key` is `auth0|` + `id`; `id` is also its in-memory join key (`memoryKey(key)`). */
export type ParsedPassword = { key: string; id: string; password: Auth0Password } | { error: string };

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The root `email`, else the first `identifiers[]` entry of type email. */
export function passwordEmail(record: JsonObject): string | undefined {
  const root = stringOf(record.email);
  if (root) return root;
  if (!Array.isArray(record.identifiers)) return undefined;
  for (const identifier of record.identifiers) {
    const entry = asObject(identifier);
    if (entry?.type === 'email' && stringOf(entry.value)) return entry.value as string;
  }
  return undefined;
}

/** Turns a parsed password-export line into its join key and password, or a reason. */
export function parsePasswordRecord(value: unknown): ParsedPassword {
  const record = asObject(value);
  if (!record) return { error: 'password record is not a JSON object' };
  const id = record._id;
  const oid = stringOf(asObject(id)?.$oid) ?? stringOf(id);
  const altId = stringOf(record.alt_id);
  const joinId = altId ?? oid;
  if (!joinId) return { error: 'password record without _id.$oid or alt_id' };
  const setDate = asObject(record.password_set_date)?.$date ?? record.password_set_date;
  const password: Auth0Password = { hash: typeof record.passwordHash === 'string' ? record.passwordHash : '', oid: oid ?? '' };
  if (typeof setDate === 'string') password.setDate = setDate;
  const connection = stringOf(record.connection);
  if (connection) password.connection = connection;
  if (altId) password.altId = altId;
  const email = passwordEmail(record);
  if (email) password.email = email;
  return { key: `auth0|${joinId}`, id: joinId, password };
}
