// `POST /v2/users/{userId}/links` (AddIDPLink → Commands.AddUserIDPLink, internal/command/user_idp_link.go)
// and `POST /v2/users/{userId}/links/_search` (ListIDPLinks → Queries.IDPUserLinks), from
// internal/api/grpc/user/v2/idp_link.go. A link that exists already — on this user or another —
// is the push's unique constraint (`external_idps`): 409 V3-DKcYh, never a silent no-op.
import { requireUserPermission } from '../auth/permissions.js';
import { GrpcCode, zitadelError } from '../http/api-error.js';
import { readBool, readInteger, readMessage } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import type { IdpLink } from '../users/human-user.js';
import { readV2IdpLink, validateIdpLink } from '../users/parse-v2-user.js';
import { UserEventType } from '../users/user-events.js';
import { checkLength, embedded, firstViolation, rejectViolation } from '../validation/pgv-rules.js';

export function addIdpLinkRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/{userId}/links',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const body = json();
      const message = readMessage(body, 'idpLink', '');
      const sent = message && readV2IdpLink(message, 'idpLink');
      rejectViolation(
        firstViolation(
          () => checkLength('AddIDPLinkRequest', 'UserId', params.userId, 1, 200),
          () => embedded('AddIDPLinkRequest', 'IdpLink', sent && validateIdpLink(sent)),
        ),
      );
      const { store, idps } = services;
      const user = store.findUserById(params.userId);
      if (!user) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-vzktar7b7f', 'Errors.User.NotFound');
      requireUserPermission(principal, user.orgId, 'user.write');
      const link: IdpLink = { idpId: sent?.idpId ?? '', userId: sent?.userId ?? '', userName: sent?.userName };
      // addLink (internal/command/user_human.go): an IdP of the user's org or of the instance.
      if (!idps.existsOnOrgOrInstance(link.idpId, user.orgId)) {
        throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-39nf2', 'Errors.IDPConfig.NotExisting');
      }
      // UserIDPLinkAddedEvent's JSON names (internal/repository/user/human_external_idp.go).
      const payload: Record<string, unknown> = { idpConfigId: link.idpId, userId: link.userId };
      if (link.userName) payload.displayName = link.userName;
      const human = { ...user.human, idpLinks: [...(user.human.idpLinks ?? []), link] };
      const result = store.updateUser(user.id, principal.id, [{ type: UserEventType.idpLinkAdded, payload }], { human, idpLinksAdded: [link] });
      if (!result.ok) {
        if (result.reason === 'idpLink') throw zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', 'Errors.User.ExternalIDP.AlreadyExists');
        throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-vzktar7b7f', 'Errors.User.NotFound');
      }
      return {
        status: 200,
        body: { details: { sequence: String(result.sequence), changeDate: result.changedAt, resourceOwner: user.orgId } },
      };
    },
  };
}

export function listIdpLinksRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/{userId}/links/_search',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const body = json();
      rejectViolation(checkLength('ListIDPLinksRequest', 'UserId', params.userId, 1, 200));
      const query = readMessage(body, 'query', '') ?? {};
      const offset = readInteger(query, 'offset', 'query') ?? 0;
      // object.ListQueryToQuery: no default page size, limit 0 returns every link.
      const limit = readInteger(query, 'limit', 'query') ?? 0;
      readBool(query, 'asc', 'query');
      const user = services.store.findUserById(params.userId);
      // The permission filter of IDPUserLinks: an unknown or unreadable user has no links to show.
      if (user) requireUserPermission(principal, user.orgId, 'user.read');
      const links = user?.human.idpLinks ?? [];
      const page = links.slice(offset, limit > 0 ? offset + limit : undefined);
      return {
        status: 200,
        body: {
          details: { totalResult: String(links.length), timestamp: new Date().toISOString() },
          ...(page.length
            ? { result: page.map((link) => ({ idpId: link.idpId, userId: link.userId, ...(link.userName ? { userName: link.userName } : {}) })) }
            : {}),
        },
      };
    },
  };
}
