// Which user a record is, for the shareable lists (failures.csv, warnings.csv): its id and e-mail,
// looked up where the built-in sources put them — the record itself (`user_id`, `id`, `_id`…), an
// Auth0 profile (`profile.*`), a ZITADEL record (`userId`, `user.email.email`), or the rejection's
// detail (an orphan password's `{id, email}`). A custom record keeping them elsewhere leaves the
// cells empty; the origin (file:line) always locates it.

export interface UserIdentity {
  id?: string;
  email?: string;
}

type Fields = { [key: string]: unknown };

const ID_KEYS = ['user_id', 'userId', 'id', '_id', '_ID', 'ID'] as const;

function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

function idIn(fields: Fields | undefined): string | undefined {
  if (!fields) return undefined;
  for (const key of ID_KEYS) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
    // Mongo-style `{ "$oid": "…" }`, as in Auth0's password export.
    const oid = fieldsOf(value)?.$oid;
    if (typeof oid === 'string' && oid !== '') return oid;
  }
  return undefined;
}

function emailIn(fields: Fields | undefined): string | undefined {
  const value = fields?.email;
  if (typeof value === 'string' && value !== '') return value;
  // ZITADEL's `email: { email, isEmailVerified }`.
  const nested = fieldsOf(value)?.email;
  return typeof nested === 'string' && nested !== '' ? nested : undefined;
}

/** The id and e-mail of `record` (and of the rejection `detail`, which wins: it names the user exactly). */
export function userIdentityOf(record: unknown, detail?: { [key: string]: unknown }): UserIdentity {
  const top = fieldsOf(record);
  const places = [fieldsOf(detail), top, fieldsOf(top?.profile), fieldsOf(top?.user)];
  let id: string | undefined;
  let email: string | undefined;
  for (const place of places) {
    id ??= idIn(place);
    email ??= emailIn(place);
  }
  return { id, email };
}
