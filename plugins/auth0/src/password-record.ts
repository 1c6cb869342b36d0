// Parses one record of the password-hash export (MongoDB extended JSON) into the join key and the
// `Auth0Password` a record carries. The key is `auth0|` + (`alt_id` if present, else the id).
//
// Key spellings, as real exports have them (see the plugin README):
// - the id: `_id` (Auth0 support's export), `_ID` (zitadel-tools' example data), `oid`
//   (zitadel-tools' test data), in any letter case, since Go's encoding/json, which zitadel-tools
//   reads them with, matches keys case-insensitively; its value `{"$oid": "…"}` (extended JSON) or
//   a plain string;
// - `alt_id` (custom-database users and users created with their own id);
// - the hash: `passwordHash` (Auth0), `password_hash` (Auth0's bulk-import format), any case;
// - `password_set_date`: `{"$date": "…"}`, `{"$date": {"$numberLong": "<ms>"}}` (canonical
//   extended JSON), `{"$date": <ms>}` or a plain string.

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

/** Lower-cased key → the spelling that names the field. */
const spellings: { [lower: string]: 'id' | 'hash' } = { _id: 'id', oid: 'id', passwordhash: 'hash', password_hash: 'hash' };

/** The record's id and hash values under whichever spelling it uses (the exact canonical one first). */
function spelledFields(record: JsonObject): { id: unknown; hash: unknown } {
  let id = record._id;
  let hash = record.passwordHash;
  if (id !== undefined && hash !== undefined) return { id, hash };
  for (const key in record) {
    const field = spellings[key.toLowerCase()];
    if (field === 'id') id ??= record[key];
    else if (field === 'hash') hash ??= record[key];
  }
  return { id, hash };
}

/** `{"$date": …}` in its relaxed or canonical form, or a plain string, as an ISO string. */
function dateOf(value: unknown): string | undefined {
  const date = asObject(value)?.$date ?? value;
  if (typeof date === 'string') return date;
  const millis = typeof date === 'number' ? date : Number(asObject(date)?.$numberLong);
  return Number.isFinite(millis) && millis !== 0 ? new Date(millis).toISOString() : undefined;
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

/** Why a record has no usable id, naming the keys it has (names only: values may hold the hash). */
function missingIdReason(record: JsonObject): string {
  const keys = Object.keys(record);
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '');
  return `password record without an id (_id, _ID or oid, as {"$oid": "…"} or a string, or alt_id); its keys: ${shown || 'none'}`;
}

/** Turns a parsed password-export record into its join key and password, or a reason. */
export function parsePasswordRecord(value: unknown): ParsedPassword {
  const record = asObject(value);
  if (!record) return { error: 'password record is not a JSON object' };
  const { id, hash } = spelledFields(record);
  const oid = stringOf(asObject(id)?.$oid) ?? stringOf(id);
  const altId = stringOf(record.alt_id);
  const joinId = altId ?? oid;
  if (!joinId) return { error: missingIdReason(record) };
  const password: Auth0Password = { hash: typeof hash === 'string' ? hash : '', oid: oid ?? '' };
  const setDate = dateOf(record.password_set_date);
  if (setDate !== undefined) password.setDate = setDate;
  const connection = stringOf(record.connection);
  if (connection) password.connection = connection;
  if (altId) password.altId = altId;
  const email = passwordEmail(record);
  if (email) password.email = email;
  return { key: `auth0|${joinId}`, id: joinId, password };
}
