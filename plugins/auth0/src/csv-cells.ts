// Turns a bulk-export CSV row back into a profile object: the leading `'` (Auth0's CSV-injection
// guard) marks a string cell and is stripped; unprefixed cells are booleans, numbers or JSON
// text; leaf paths such as `user_metadata.plan` are rebuilt into nested objects.

type JsonObject = { [key: string]: unknown };

const booleanColumns = new Set(['email_verified', 'phone_verified', 'blocked']);
const jsonColumns = new Set(['identities', 'multifactor']);
/** Columns that are strings even when a tool forgot the `'` prefix (e.g. a numeric user id). */
const stringColumns = new Set([
  'user_id', 'email', 'username', 'phone_number', 'given_name', 'family_name', 'name', 'nickname', 'picture',
  'locale', 'created_at', 'updated_at', 'last_login', 'last_ip',
]);
const numberPattern = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One cell's value, or undefined for an empty (absent) cell. */
export function decodeCell(column: string, cell: string): unknown {
  if (cell === '') return undefined;
  if (cell.startsWith("'")) {
    const text = cell.slice(1);
    if (jsonColumns.has(column)) return parseJsonOr(text);
    if (booleanColumns.has(column) && (text === 'true' || text === 'false')) return text === 'true';
    return text;
  }
  if (stringColumns.has(column)) return cell;
  if (cell === 'true' || cell === 'false') return cell === 'true';
  if (jsonColumns.has(column) || cell.startsWith('{') || cell.startsWith('[')) return parseJsonOr(cell);
  if (numberPattern.test(cell)) return Number(cell);
  return cell;
}

/** A row as a profile object, columns split on `.` into nested objects. */
export function rowToObject(columns: readonly string[][], row: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < columns.length; i++) {
    const path = columns[i];
    const value = decodeCell(path.join('.'), row[i] ?? '');
    if (value === undefined) continue;
    let target = out;
    for (let depth = 0; depth < path.length - 1; depth++) {
      const next = target[path[depth]];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[path[depth]] = {};
      target = target[path[depth]] as JsonObject;
    }
    target[path[path.length - 1]] = value;
  }
  return out;
}
