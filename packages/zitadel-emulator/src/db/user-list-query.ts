// The SQL behind ListUsers: ZITADEL's search queries (internal/query/user.go, the New…SearchQuery
// constructors) as WHERE conditions over the users table, its sorting columns
// (userFieldNameToSortingColumn in internal/api/grpc/user/v2/convert/user.go) and its paging
// (SearchRequest.toQuery in internal/query/search_query.go: no LIMIT when the limit is 0).
import type { TextQueryMethod } from '@idflow/zitadel-model';
import type { UserState } from '../users/user-events.js';

/** A text column a query can filter on. */
export type UserTextField = 'username' | 'loginName' | 'email' | 'givenName' | 'familyName' | 'nickName' | 'displayName' | 'phone';

/** One condition of a user list (a SearchQuery); nested ones combine as ZITADEL's And/Or/Not queries do. */
export type UserCondition =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'emails'; emails: string[] }
  | { kind: 'text'; field: UserTextField; value: string; method: TextQueryMethod }
  | { kind: 'org'; orgId: string }
  | { kind: 'state'; state: UserState }
  | { kind: 'type'; human: boolean }
  /** On the metadata row joined to the user, as ZITADEL's LEFT JOIN of user_metadata5 does. */
  | { kind: 'metadataKey'; key: string; method: TextQueryMethod }
  | { kind: 'metadataValue'; value: Buffer; equals: boolean }
  | { kind: 'and' | 'or'; conditions: UserCondition[] }
  | { kind: 'not'; condition: UserCondition };

/** `zitadel.user.v2.UserFieldName`, the sorting column of ListUsersRequest. */
export const USER_FIELD_NAMES = [
  'USER_FIELD_NAME_UNSPECIFIED',
  'USER_FIELD_NAME_USER_NAME',
  'USER_FIELD_NAME_FIRST_NAME',
  'USER_FIELD_NAME_LAST_NAME',
  'USER_FIELD_NAME_NICK_NAME',
  'USER_FIELD_NAME_DISPLAY_NAME',
  'USER_FIELD_NAME_EMAIL',
  'USER_FIELD_NAME_STATE',
  'USER_FIELD_NAME_TYPE',
  'USER_FIELD_NAME_CREATION_DATE',
] as const;
export type UserFieldName = (typeof USER_FIELD_NAMES)[number];

export interface UserListRequest {
  conditions: UserCondition[];
  sortingColumn: UserFieldName;
  /** ListQuery.asc; ZITADEL's default is descending. */
  asc: boolean;
  offset: number;
  /** 0: no limit, every matching user (the v2 ListQuery has no default page size). */
  limit: number;
}

const profile = (field: string) => `json_extract(u.human_json, '$.profile.${field}')`;

const TEXT_COLUMNS: Record<UserTextField, string> = {
  username: 'u.username',
  // The emulator's login names are the user name (no org domain suffixes).
  loginName: 'u.username',
  email: 'u.email',
  givenName: profile('givenName'),
  familyName: profile('familyName'),
  nickName: `coalesce(${profile('nickName')}, '')`,
  // Users written before the display name was stored get the one ZITADEL would have (ensureDisplayName).
  displayName: `coalesce(${profile('displayName')}, ${profile('givenName')} || ' ' || ${profile('familyName')})`,
  phone: `coalesce(json_extract(u.human_json, '$.phone.phone'), '')`,
};

/** The projection's state column holds domain.UserState numbers (internal/domain/user.go), which is what it sorts by. */
const STATE_NUMBER = `CASE u.state WHEN 'USER_STATE_ACTIVE' THEN 1 WHEN 'USER_STATE_INACTIVE' THEN 2 WHEN 'USER_STATE_DELETED' THEN 3
  WHEN 'USER_STATE_LOCKED' THEN 4 WHEN 'USER_STATE_INITIAL' THEN 6 ELSE 0 END`;

const SORT_COLUMNS: Record<UserFieldName, string> = {
  USER_FIELD_NAME_UNSPECIFIED: 'u.id',
  USER_FIELD_NAME_USER_NAME: 'u.username',
  USER_FIELD_NAME_FIRST_NAME: TEXT_COLUMNS.givenName,
  USER_FIELD_NAME_LAST_NAME: TEXT_COLUMNS.familyName,
  USER_FIELD_NAME_NICK_NAME: TEXT_COLUMNS.nickName,
  USER_FIELD_NAME_DISPLAY_NAME: TEXT_COLUMNS.displayName,
  USER_FIELD_NAME_EMAIL: 'u.email',
  USER_FIELD_NAME_STATE: STATE_NUMBER,
  // Every user here is human: one type.
  USER_FIELD_NAME_TYPE: "'human'",
  USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
};

/** A text comparison as ZITADEL's TextComparison renders it (internal/query/search_query.go). */
function textCondition(column: string, method: TextQueryMethod): string {
  const ignoreCase = method.endsWith('_IGNORE_CASE');
  const col = ignoreCase ? `lower(${column})` : column;
  const arg = ignoreCase ? 'lower(?)' : '?';
  if (method.startsWith('TEXT_QUERY_METHOD_STARTS_WITH')) return `substr(${col}, 1, length(${arg})) = ${arg}`;
  if (method.startsWith('TEXT_QUERY_METHOD_ENDS_WITH')) return `substr(${col}, -length(${arg})) = ${arg}`;
  if (method.startsWith('TEXT_QUERY_METHOD_CONTAINS')) return `instr(${col}, ${arg}) > 0`;
  return `${col} = ${arg}`;
}

type SqlParameter = string | number | Buffer;

/** The SQL of one condition and its parameters, appended to `params`. */
function conditionSql(condition: UserCondition, params: SqlParameter[]): string {
  switch (condition.kind) {
    case 'ids':
      // json_each instead of one placeholder per id: a batch of ids may pass SQLite's variable limit.
      params.push(JSON.stringify(condition.ids));
      return 'u.id IN (SELECT value FROM json_each(?))';
    case 'emails':
      params.push(JSON.stringify(condition.emails));
      return 'u.email IN (SELECT value FROM json_each(?))';
    case 'org':
      params.push(condition.orgId);
      return 'u.org_id = ?';
    case 'state':
      params.push(condition.state);
      return 'u.state = ?';
    case 'metadataKey': {
      const sql = textCondition('m.key', condition.method);
      for (let i = 0; i < sql.split('?').length - 1; i++) params.push(condition.key);
      return sql;
    }
    case 'metadataValue':
      params.push(condition.value);
      return condition.equals ? 'm.value = ?' : 'm.value <> ?';
    case 'type':
      return condition.human ? '1 = 1' : '1 = 0';
    case 'text': {
      // An ignore-case equality on the name reads the lower-cased unique key (UserNameLowerCol, LoginNameNameLowerCol).
      if (condition.method === 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE' && (condition.field === 'username' || condition.field === 'loginName')) {
        // Go's strings.ToLower is Unicode-aware, as toLowerCase is (SQLite's lower() is ASCII-only).
        params.push(condition.value.toLowerCase());
        return 'u.username_key = ?';
      }
      const sql = textCondition(TEXT_COLUMNS[condition.field], condition.method);
      const uses = sql.split('?').length - 1;
      for (let i = 0; i < uses; i++) params.push(condition.value);
      return sql;
    }
    case 'not':
      return `NOT (${conditionSql(condition.condition, params)})`;
    default: {
      // squirrel's empty And is true and its empty Or false, as ZITADEL builds them.
      if (condition.conditions.length === 0) return condition.kind === 'and' ? '1 = 1' : '1 = 0';
      const joiner = condition.kind === 'and' ? ' AND ' : ' OR ';
      return `(${condition.conditions.map((inner) => conditionSql(inner, params)).join(joiner)})`;
    }
  }
}

function usesMetadata(conditions: readonly UserCondition[]): boolean {
  return conditions.some((condition) => {
    if (condition.kind === 'metadataKey' || condition.kind === 'metadataValue') return true;
    if (condition.kind === 'not') return usesMetadata([condition.condition]);
    return (condition.kind === 'and' || condition.kind === 'or') && usesMetadata(condition.conditions);
  });
}

/** The COUNT and page statements of a list request, with their parameters. */
export function userListSql(request: UserListRequest): {
  countSql: string;
  pageSql: string;
  params: SqlParameter[];
  pageParams: SqlParameter[];
} {
  const params: SqlParameter[] = [];
  const where = request.conditions.map((condition) => conditionSql(condition, params));
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const direction = request.asc ? 'ASC' : 'DESC';
  // ZITADEL orders by the sorting column only; ties keep the database's order. The id breaks them
  // here, so pages do not overlap.
  const column = SORT_COLUMNS[request.sortingColumn];
  const order = column === 'u.id' ? `ORDER BY u.id ${direction}` : `ORDER BY ${column} ${direction}, u.id ${direction}`;
  const paging = request.limit > 0 ? 'LIMIT ? OFFSET ?' : 'LIMIT -1 OFFSET ?';
  const pageParams: SqlParameter[] = request.limit > 0 ? [...params, request.limit, request.offset] : [...params, request.offset];
  // prepareUsersQuery joins user_metadata and selects DISTINCT users; without a metadata filter the join changes nothing.
  const joinsMetadata = usesMetadata(request.conditions);
  const from = joinsMetadata ? 'users u LEFT JOIN user_metadata m ON m.user_id = u.id' : 'users u';
  return {
    countSql: `SELECT COUNT(DISTINCT u.id) AS n FROM ${from} ${clause}`,
    pageSql: `SELECT ${joinsMetadata ? 'DISTINCT ' : ''}u.* FROM ${from} ${clause} ${order} ${paging}`,
    params,
    pageParams,
  };
}
