// `POST /v2/users` (ListUsers) and `GET /v2/users/{userId}` (GetUserByID).
import type { TextQueryMethod } from '@idflow/zitadel-model';
import { requireUserPermission } from '../auth/permissions.js';
import type { UserCondition } from '../db/user-store.js';
import { GrpcCode, invalidArgument, zitadelError } from '../http/api-error.js';
import { readEnum, readInteger, readMessage, readMessageList, readString, readStringList, type JsonObject } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import { toV2User } from '../users/human-user.js';

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
/** ZITADEL's default page size when `limit` is 0. No maximum: a client asking for n ids gets them all. */
const DEFAULT_LIMIT = 100;

/** One entry of `queries` as a store condition. */
function toCondition(query: JsonObject, path: string): UserCondition {
  const byId = readMessage(query, 'userIdQuery', path);
  if (byId) return { kind: 'ids', ids: [readString(byId, 'userId', `${path}.userIdQuery`) ?? ''] };
  const inIds = readMessage(query, 'inUserIdsQuery', path);
  if (inIds) return { kind: 'ids', ids: readStringList(inIds, 'userIds', `${path}.inUserIdsQuery`) };
  const byName = readMessage(query, 'userNameQuery', path);
  if (byName) {
    return {
      kind: 'text',
      column: 'username',
      value: readString(byName, 'userName', `${path}.userNameQuery`) ?? '',
      method: readEnum(byName, 'method', `${path}.userNameQuery`, TEXT_METHODS) ?? 'TEXT_QUERY_METHOD_EQUALS',
    };
  }
  const byEmail = readMessage(query, 'emailQuery', path);
  if (byEmail) {
    return {
      kind: 'text',
      column: 'email',
      value: readString(byEmail, 'emailAddress', `${path}.emailQuery`) ?? '',
      method: readEnum(byEmail, 'method', `${path}.emailQuery`, TEXT_METHODS) ?? 'TEXT_QUERY_METHOD_EQUALS',
    };
  }
  const byOrg = readMessage(query, 'organizationIdQuery', path);
  if (byOrg) return { kind: 'org', orgId: readString(byOrg, 'organizationId', `${path}.organizationIdQuery`) ?? '' };
  throw invalidArgument(
    `invalid ListUsersRequest.Queries: ${path} has no query the emulator supports (userIdQuery, inUserIdsQuery, userNameQuery, emailQuery, organizationIdQuery)`,
  );
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
      const limit = readInteger(query, 'limit', 'query') || DEFAULT_LIMIT;
      if (offset < 0 || limit < 0) throw invalidArgument('invalid ListQuery: offset and limit must not be negative');
      const conditions = readMessageList(body, 'queries', '').map((entry, index) => toCondition(entry, `queries[${index}]`));
      // A caller limited to one org sees only that org's users, as ZITADEL's permission filter does.
      if (principal.role !== 'IAM_OWNER') conditions.push({ kind: 'org', orgId: principal.orgId });
      const { total, users } = services.store.listUsers(conditions, offset, limit);
      return {
        status: 200,
        body: {
          details: { totalResult: String(total), timestamp: new Date().toISOString() },
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
