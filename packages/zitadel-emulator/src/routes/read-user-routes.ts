// `POST /v2/users` (ListUsers) and `GET /v2/users/{userId}` (GetUserByID), as
// internal/api/grpc/user/v2/user_query.go answers them: the search queries of
// proto/zitadel/user/v2/query.proto (convert.userQueryToQuery), the sorting column (default: the
// user id) and ListQuery's offset, limit and asc (object.ListQueryToQuery: limit 0 means every
// user, there is no maximum; asc defaults to false, i.e. descending).
import type { TextQueryMethod } from '@idflow/zitadel-model';
import { requireUserPermission } from '../auth/permissions.js';
import { USER_FIELD_NAMES, type UserCondition, type UserTextField } from '../db/user-list-query.js';
import { ApiError, GrpcCode, zitadelError } from '../http/api-error.js';
import {
  type JsonObject,
  readBool,
  readBytes,
  readEnum,
  readInteger,
  readMessage,
  readMessageList,
  readString,
  readStringList,
} from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import { toV2User } from '../users/human-user.js';
import { USER_STATES } from '../users/user-events.js';
import { checkLength, embedded, RuleViolation, rejectViolation } from '../validation/pgv-rules.js';

const TEXT_METHODS: readonly TextQueryMethod[] = [
  'TEXT_QUERY_METHOD_EQUALS',
  'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE',
  'TEXT_QUERY_METHOD_STARTS_WITH',
  'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE',
  'TEXT_QUERY_METHOD_CONTAINS',
  'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE',
  'TEXT_QUERY_METHOD_ENDS_WITH',
  'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE',
];
/** zitadel.filter.v2.TextFilterMethod: the same methods under other names, same numbers. */
const TEXT_FILTER_METHODS = TEXT_METHODS.map((method) => method.replace('TEXT_QUERY_METHOD_', 'TEXT_FILTER_METHOD_'));
const BYTE_FILTER_METHODS = ['BYTE_FILTER_METHOD_EQUALS', 'BYTE_FILTER_METHOD_NOT_EQUALS'] as const;
const USER_TYPES = ['TYPE_UNSPECIFIED', 'TYPE_HUMAN', 'TYPE_MACHINE'] as const;

/** The text queries: JSON name, value field, PGV type name, value length bounds, and the column. */
const TEXT_QUERIES: { name: string; valueField: string; type: string; min: number; max: number; field: UserTextField }[] = [
  { name: 'userNameQuery', valueField: 'userName', type: 'UserNameQuery', min: 1, max: 200, field: 'username' },
  { name: 'firstNameQuery', valueField: 'firstName', type: 'FirstNameQuery', min: 1, max: 200, field: 'givenName' },
  { name: 'lastNameQuery', valueField: 'lastName', type: 'LastNameQuery', min: 1, max: 200, field: 'familyName' },
  { name: 'nickNameQuery', valueField: 'nickName', type: 'NickNameQuery', min: 1, max: 200, field: 'nickName' },
  { name: 'displayNameQuery', valueField: 'displayName', type: 'DisplayNameQuery', min: 1, max: 200, field: 'displayName' },
  { name: 'emailQuery', valueField: 'emailAddress', type: 'EmailQuery', min: 0, max: 200, field: 'email' },
  { name: 'phoneQuery', valueField: 'number', type: 'PhoneQuery', min: 0, max: 20, field: 'phone' },
  { name: 'loginNameQuery', valueField: 'loginName', type: 'LoginNameQuery', min: 1, max: 200, field: 'loginName' },
];

/** convert.userQueryToQuery refuses more than 20 levels of and/or/not (USER-zsQ97). */
const MAX_NESTING = 20;

/** Thrown inside a query to be wrapped into the PGV message of its position. */
class QueryViolation extends Error {
  constructor(readonly violation: RuleViolation) {
    super(violation.text);
  }
}

function violate(type: string, field: string, reason: string): never {
  throw new QueryViolation(new RuleViolation(`invalid ${type}.${field}: ${reason}`));
}

function checked(violation: RuleViolation | undefined): void {
  if (violation) throw new QueryViolation(violation);
}

function nested(parentType: string, field: string, parse: () => UserCondition): UserCondition {
  try {
    return parse();
  } catch (error) {
    if (error instanceof QueryViolation) throw new QueryViolation(embedded(parentType, field, error.violation)!);
    throw error;
  }
}

/**
 * One `SearchQuery`. The gateway drops JSON names the proto does not have (DiscardUnknown in
 * internal/api/grpc/server/gateway.go), so an unknown query, e.g. `userIdQuery`, is an empty
 * oneof, which PGV refuses (`validate.required`).
 */
function toCondition(query: JsonObject, path: string, level: number): UserCondition {
  if (level > MAX_NESTING) throw zitadelError(GrpcCode.InvalidArgument, 'USER-zsQ97', 'Errors.Query.TooManyNestingLevels');
  for (const text of TEXT_QUERIES) {
    const message = readMessage(query, text.name, path);
    if (!message) continue;
    const where = `${path}.${text.name}`;
    const value = readString(message, text.valueField, where) ?? '';
    return nested('SearchQuery', text.type, () => {
      checked(checkLength(text.type, text.valueField[0].toUpperCase() + text.valueField.slice(1), value, text.min, text.max));
      return { kind: 'text', field: text.field, value, method: readEnum(message, 'method', where, TEXT_METHODS) ?? 'TEXT_QUERY_METHOD_EQUALS' };
    });
  }
  const inIds = readMessage(query, 'inUserIdsQuery', path);
  if (inIds) return { kind: 'ids', ids: readStringList(inIds, 'userIds', `${path}.inUserIdsQuery`) };
  const inEmails = readMessage(query, 'inUserEmailsQuery', path);
  if (inEmails) return { kind: 'emails', emails: readStringList(inEmails, 'userEmails', `${path}.inUserEmailsQuery`) };
  const byOrg = readMessage(query, 'organizationIdQuery', path);
  if (byOrg) {
    const orgId = readString(byOrg, 'organizationId', `${path}.organizationIdQuery`) ?? '';
    return nested('SearchQuery', 'OrganizationIdQuery', () => {
      checked(checkLength('OrganizationIdQuery', 'OrganizationId', orgId, 1, 200));
      return { kind: 'org', orgId };
    });
  }
  const byState = readMessage(query, 'stateQuery', path);
  if (byState) {
    const state = readEnum(byState, 'state', `${path}.stateQuery`, USER_STATES) ?? 'USER_STATE_UNSPECIFIED';
    return { kind: 'state', state };
  }
  const byType = readMessage(query, 'typeQuery', path);
  if (byType) return { kind: 'type', human: readEnum(byType, 'type', `${path}.typeQuery`, USER_TYPES) === 'TYPE_HUMAN' };
  for (const kind of ['or', 'and'] as const) {
    const group = readMessage(query, `${kind}Query`, path);
    if (!group) continue;
    const where = `${path}.${kind}Query`;
    const conditions = readMessageList(group, 'queries', where).map((inner, index) =>
      nested('SearchQuery', `${kind === 'or' ? 'Or' : 'And'}Query`, () =>
        nested(`${kind === 'or' ? 'Or' : 'And'}Query`, `Queries[${index}]`, () => toCondition(inner, `${where}.queries[${index}]`, level + 1)),
      ),
    );
    return { kind, conditions };
  }
  const not = readMessage(query, 'notQuery', path);
  if (not) {
    const inner = readMessage(not, 'query', `${path}.notQuery`) ?? {};
    return {
      kind: 'not',
      condition: nested('SearchQuery', 'NotQuery', () => nested('NotQuery', 'Query', () => toCondition(inner, `${path}.notQuery.query`, level + 1))),
    };
  }
  const metadataKey = readMessage(query, 'metadataKeyFilter', path);
  if (metadataKey) {
    const key = readString(metadataKey, 'key', `${path}.metadataKeyFilter`) ?? '';
    const method = readEnum(metadataKey, 'method', `${path}.metadataKeyFilter`, TEXT_FILTER_METHODS) ?? TEXT_FILTER_METHODS[0];
    return nested('SearchQuery', 'MetadataKeyFilter', () => {
      checked(checkLength('MetadataKeyFilter', 'Key', key, 0, 200));
      return { kind: 'metadataKey', key, method: method.replace('TEXT_FILTER_METHOD_', 'TEXT_QUERY_METHOD_') as TextQueryMethod };
    });
  }
  const metadataValue = readMessage(query, 'metadataValueFilter', path);
  if (metadataValue) {
    const value = readBytes(metadataValue, 'value', `${path}.metadataValueFilter`) ?? Buffer.alloc(0);
    const method = readEnum(metadataValue, 'method', `${path}.metadataValueFilter`, BYTE_FILTER_METHODS) ?? 'BYTE_FILTER_METHOD_EQUALS';
    if (value.length > 200) violate('SearchQuery', 'MetadataValueFilter', 'embedded message failed validation | caused by: invalid MetadataValueFilter.Value: value length must be at most 200 bytes');
    return { kind: 'metadataValue', value, equals: method === 'BYTE_FILTER_METHOD_EQUALS' };
  }
  return violate('SearchQuery', 'Query', 'value is required');
}

/** `queries` of ListUsersRequest: every entry must match (AND). */
function readConditions(body: JsonObject): UserCondition[] {
  return readMessageList(body, 'queries', '').map((entry, index) => {
    try {
      return toCondition(entry, `queries[${index}]`, 0);
    } catch (error) {
      if (error instanceof QueryViolation) rejectViolation(embedded('ListUsersRequest', `Queries[${index}]`, error.violation));
      throw error;
    }
  });
}

export function listUsersRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users',
    auth: 'bearer',
    async handle({ principal, json }) {
      const body = json();
      const query = readMessage(body, 'query', '') ?? {};
      const offset = readInteger(query, 'offset', 'query') ?? 0;
      const limit = readInteger(query, 'limit', 'query') ?? 0;
      if (offset < 0 || limit < 0 || limit > 0xffffffff) {
        throw new ApiError(GrpcCode.InvalidArgument, `proto: invalid value for ${offset < 0 ? 'uint64 field offset' : 'uint32 field limit'}`);
      }
      const sortingColumn = readEnum(body, 'sortingColumn', '', USER_FIELD_NAMES) ?? 'USER_FIELD_NAME_UNSPECIFIED';
      const conditions = readConditions(body);
      // userPermissionCheckV2: a caller limited to one org sees only that org's users.
      if (principal.role !== 'IAM_OWNER') conditions.push({ kind: 'org', orgId: principal.orgId });
      const { total, users } = services.store.listUsers({ conditions, sortingColumn, asc: readBool(query, 'asc', 'query') ?? false, offset, limit });
      return {
        status: 200,
        body: {
          details: { totalResult: String(total), timestamp: new Date().toISOString() },
          ...(sortingColumn === 'USER_FIELD_NAME_UNSPECIFIED' ? {} : { sortingColumn }),
          ...(users.length ? { result: users.map(toV2User) } : {}),
        },
      };
    },
  };
}

export function getUserRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'GET',
    path: '/v2/users/{userId}',
    auth: 'bearer',
    async handle({ principal, params }) {
      const user = services.store.findUserById(params.userId);
      if (!user) throw zitadelError(GrpcCode.NotFound, 'QUERY-Dfbg2', 'Errors.User.NotFound');
      requireUserPermission(principal, user.orgId, 'user.read');
      const v2 = toV2User(user);
      return { status: 200, body: { details: v2.details, user: v2 } };
    },
  };
}
