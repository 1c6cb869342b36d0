// The v2 user metadata calls (ZITADEL v4+; proto/zitadel/user/v2/user_service.proto, handlers in
// internal/api/grpc/user/v2/metadata.go):
// - `POST /v2/users/{userId}/metadata` SetUserMetadata → Commands.BulkSetUserMetadata
// - `DELETE /v2/users/{userId}/metadata?keys=…` DeleteUserMetadata → Commands.BulkRemoveUserMetadata
// - `POST /v2/users/{userId}/metadata/search` ListUserMetadata → Queries.SearchUserMetadata
// (internal/command/user_metadata.go, internal/query/user_metadata.go).
import type { TextQueryMethod } from '@idflow/zitadel-model';
import { requireUserPermission } from '../auth/permissions.js';
import type { Principal } from '../db/credential-store.js';
import type { UserUpdate } from '../db/user-store.js';
import { GrpcCode, zitadelError } from '../http/api-error.js';
import { readBool, readEnum, readInteger, readMessage, readMessageList, readString } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import type { StoredHumanUser } from '../users/human-user.js';
import { metadataEvents } from '../users/human-change.js';
import { readV2Metadata, validateMetadataEntries } from '../users/parse-v2-user.js';
import { type UserEvent, UserEventType } from '../users/user-events.js';
import { checkLength, embedded, firstViolation, RuleViolation, rejectViolation } from '../validation/pgv-rules.js';

/** cmd/defaults.yaml SystemDefaults: DefaultQueryLimit 100, MaxQueryLimit 1000 (filter/v2 PaginationPbToQuery). */
const DEFAULT_QUERY_LIMIT = 100;
const MAX_QUERY_LIMIT = 1000;

const TEXT_FILTER_METHODS = [
  'TEXT_FILTER_METHOD_EQUALS',
  'TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE',
  'TEXT_FILTER_METHOD_STARTS_WITH',
  'TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE',
  'TEXT_FILTER_METHOD_CONTAINS',
  'TEXT_FILTER_METHOD_CONTAINS_IGNORE_CASE',
  'TEXT_FILTER_METHOD_ENDS_WITH',
  'TEXT_FILTER_METHOD_ENDS_WITH_IGNORE_CASE',
] as const;

/** checkUserExists (internal/command/user.go): an unknown user is a precondition failure here, 400. */
function existingUser(services: EmulatorServices, principal: Principal, userId: string): StoredHumanUser {
  const user = services.store.findUserById(userId);
  if (!user) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-uXHNj', 'Errors.User.NotFound');
  // NewPermissionCheckUserWrite, after the existence check.
  requireUserPermission(principal, user.orgId, 'user.write');
  return user;
}

/** Pushes the metadata events; answers their date. */
function push(services: EmulatorServices, principal: Principal, user: StoredHumanUser, events: UserEvent[], update: UserUpdate): string {
  const result = services.store.updateUser(user.id, principal.id, events, update);
  if (!result.ok) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-uXHNj', 'Errors.User.NotFound');
  return result.changedAt;
}

/** The date of the user's latest metadata event: the write model's change date when nothing is pushed. */
function lastMetadataChange(services: EmulatorServices, userId: string): string {
  const [latest] = services.store.events.search({
    eventTypes: [UserEventType.metadataSet, UserEventType.metadataRemoved],
    aggregateTypes: ['user'],
    aggregateId: userId,
    asc: false,
    limit: 1,
  });
  // A write model without events has Go's zero time.
  return latest?.createdAt ?? '0001-01-01T00:00:00Z';
}

/** A text comparison of filter v2 (TextMethodPbToQuery) on a key. */
function keyMatches(key: string, value: string, method: TextQueryMethod): boolean {
  const ignoreCase = method.endsWith('_IGNORE_CASE');
  const [subject, wanted] = ignoreCase ? [key.toLowerCase(), value.toLowerCase()] : [key, value];
  if (method.startsWith('TEXT_QUERY_METHOD_STARTS_WITH')) return subject.startsWith(wanted);
  if (method.startsWith('TEXT_QUERY_METHOD_ENDS_WITH')) return subject.endsWith(wanted);
  if (method.startsWith('TEXT_QUERY_METHOD_CONTAINS')) return subject.includes(wanted);
  return subject === wanted;
}

export function setUserMetadataRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/{userId}/metadata',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const body = json();
      const metadata = readV2Metadata(body, '');
      rejectViolation(
        firstViolation(
          () => checkLength('SetUserMetadataRequest', 'UserId', params.userId, 1, 200),
          () => validateMetadataEntries('SetUserMetadataRequest', metadata, 'Metadata'),
        ),
      );
      if (metadata.length === 0) throw zitadelError(GrpcCode.FailedPrecondition, 'META-9mm2d', 'Errors.Metadata.NoData');
      const user = existingUser(services, principal, params.userId);
      // createMetadataEvents: an equal value writes nothing, an empty one removes an existing key.
      const { events, metadataSet, metadataRemoved } = metadataEvents(services.store.metadataOf(user.id), metadata);
      if (events.length === 0) return { status: 200, body: { setDate: lastMetadataChange(services, user.id) } };
      return { status: 200, body: { setDate: push(services, principal, user, events, { metadataSet, metadataRemoved }) } };
    },
  };
}

export function deleteUserMetadataRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'DELETE',
    path: '/v2/users/{userId}/metadata',
    auth: 'bearer',
    async handle({ principal, params, query }) {
      // No body in the HTTP mapping: the gateway fills the repeated field from `?keys=a&keys=b`.
      const keys = query.getAll('keys');
      rejectViolation(firstViolation(...keys.map((key, index) => () => checkLength('DeleteUserMetadataRequest', `Keys[${index}]`, key, 1, 200))));
      if (keys.length === 0) throw zitadelError(GrpcCode.FailedPrecondition, 'META-9mm2d', 'Errors.Metadata.NoData');
      const user = existingUser(services, principal, params.userId);
      const stored = new Set(services.store.metadataOf(user.id).map((entry) => entry.key));
      // BulkRemoveUserMetadata: every key must exist (one missing fails the call), each gets its event.
      if (keys.some((key) => !stored.has(key))) throw zitadelError(GrpcCode.NotFound, 'META-2nnds', 'Errors.Metadata.KeyNotExisting');
      const events = keys.map((key) => ({ type: UserEventType.metadataRemoved, payload: { key } }));
      return { status: 200, body: { deletionDate: push(services, principal, user, events, { metadataRemoved: [...new Set(keys)] }) } };
    },
  };
}

export function listUserMetadataRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/{userId}/metadata/search',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const body = json();
      const pagination = readMessage(body, 'pagination', '') ?? {};
      const offset = readInteger(pagination, 'offset', 'pagination') ?? 0;
      const requested = readInteger(pagination, 'limit', 'pagination') ?? 0;
      const asc = readBool(pagination, 'asc', 'pagination') ?? false;
      const filters = readMessageList(body, 'filters', '').map((filter, index) => {
        const keyFilter = readMessage(filter, 'keyFilter', `filters[${index}]`);
        if (!keyFilter) {
          return new RuleViolation(
            `invalid ListUserMetadataRequest.Filters[${index}]: embedded message failed validation | caused by: invalid MetadataSearchFilter.Filter: value is required`,
          );
        }
        const key = readString(keyFilter, 'key', `filters[${index}].keyFilter`) ?? '';
        const method = readEnum(keyFilter, 'method', `filters[${index}].keyFilter`, TEXT_FILTER_METHODS) ?? 'TEXT_FILTER_METHOD_EQUALS';
        const tooLong = checkLength('MetadataKeyFilter', 'Key', key, 0, 200);
        if (tooLong) return embedded(`ListUserMetadataRequest`, `Filters[${index}]`, embedded('MetadataSearchFilter', 'KeyFilter', tooLong))!;
        return { key, method: method.replace('TEXT_FILTER_METHOD_', 'TEXT_QUERY_METHOD_') as TextQueryMethod };
      });
      rejectViolation(
        firstViolation(
          () => checkLength('ListUserMetadataRequest', 'UserId', params.userId, 1, 200),
          ...filters.map((filter) => () => (filter instanceof RuleViolation ? filter : undefined)),
        ),
      );
      if (requested > MAX_QUERY_LIMIT) {
        throw zitadelError(GrpcCode.InvalidArgument, 'QUERY-4M0fs', 'Errors.Query.LimitExceeded');
      }
      const limit = requested > 0 ? requested : DEFAULT_QUERY_LIMIT;
      const user = services.store.findUserById(params.userId);
      // The permission filter of SearchUserMetadata: an unknown or unreadable user has no metadata to show.
      if (user) requireUserPermission(principal, user.orgId, 'user.read');
      const keyFilters = filters.filter((filter): filter is { key: string; method: TextQueryMethod } => !(filter instanceof RuleViolation));
      const matching = (user ? services.store.metadataOf(user.id) : [])
        .filter((entry) => keyFilters.every((filter) => keyMatches(entry.key, filter.key, filter.method)))
        // UserMetadataCreationDateCol, ascending only with `asc`.
        .sort((a, b) => (asc ? 1 : -1) * (a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key)));
      const page = matching.slice(offset, offset + limit);
      return {
        status: 200,
        body: {
          pagination: { totalResult: String(matching.length), appliedLimit: String(limit) },
          ...(page.length
            ? {
                metadata: page.map((entry) => ({
                  creationDate: entry.createdAt,
                  changeDate: entry.changedAt,
                  key: entry.key,
                  value: entry.value.toString('base64'),
                })),
              }
            : {}),
        },
      };
    },
  };
}
