// The `fields` of an export request applied to one user. In a JSON export "you only need to
// provide the root property ... inner properties will be included automatically"; a leaf path such
// as `user_metadata.country` or `identities[0].connection` picks one value, and `export_as` renames
// the key (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports). Auth0 caps the
// list at 30 fields ("You can export up to 30 fields", same page).

export interface ExportField {
  name: string;
  export_as?: string;
}

export const MAX_EXPORT_FIELDS = 30;

type JsonObject = { [key: string]: unknown };

/** `user_metadata.country` → ['user_metadata', 'country']; `identities[0].connection` → ['identities', 0, 'connection']. */
function pathOf(name: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of name.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [name];
    path.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

function valueAt(user: JsonObject, path: (string | number)[]): unknown {
  let value: unknown = user;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as { [key: string | number]: unknown })[step];
  }
  return value;
}

/** The user as the export writes it: only the requested fields, absent ones left out. */
export function projectUser(user: JsonObject, fields: readonly ExportField[] | undefined): JsonObject {
  if (!fields) return user;
  const out: JsonObject = {};
  for (const field of fields) {
    const value = valueAt(user, pathOf(field.name));
    if (value !== undefined) out[field.export_as ?? field.name] = value;
  }
  return out;
}

/** Why a `fields` value cannot be accepted, or undefined. */
export function fieldsProblem(fields: unknown): string | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) return 'fields must be an array';
  if (fields.length > MAX_EXPORT_FIELDS) return `fields: at most ${MAX_EXPORT_FIELDS} fields can be exported (got ${fields.length})`;
  for (const [i, field] of fields.entries()) {
    if (!field || typeof field !== 'object' || typeof field.name !== 'string' || field.name === '') return `fields[${i}].name must be a non-empty string`;
    if (field.export_as !== undefined && typeof field.export_as !== 'string') return `fields[${i}].export_as must be a string`;
  }
  return undefined;
}
