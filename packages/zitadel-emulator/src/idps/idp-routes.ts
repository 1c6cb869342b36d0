// Reading the configured IdPs as ZITADEL's APIs do, so a client can check its links before
// sending users: `GET /v2/idps/{id}` (IdentityProviderService.GetIDPByID,
// proto/zitadel/idp/v2/idp_service.proto), `POST /admin/v1/idps/templates/_search` (instance IdPs)
// and `POST /management/v1/idps/templates/_search` (the org's and the instance's; ListProviders
// in admin.proto / management.proto).
import { requireIamOwner, requireUserPermission } from '../auth/permissions.js';
import { GrpcCode, zitadelError } from '../http/api-error.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import type { Idp } from './idp-store.js';

function details(idp: Idp, instanceOrgId: string) {
  return { sequence: '1', creationDate: idp.createdAt, changeDate: idp.createdAt, resourceOwner: idp.orgId ?? instanceOrgId };
}

/** The provider's config: its options; the emulator keeps no protocol settings (an empty OIDC config). */
const config = (idp: Idp) => ({ options: idp.options, oidc: {} });

/** zitadel.idp.v2.IDP */
function toV2Idp(idp: Idp, instanceOrgId: string) {
  return { id: idp.id, details: details(idp, instanceOrgId), state: 'IDP_STATE_ACTIVE', name: idp.name, type: 'IDP_TYPE_OIDC', config: config(idp) };
}

/** zitadel.idp.v1.Provider */
function toProvider(idp: Idp, instanceOrgId: string) {
  return {
    id: idp.id,
    details: details(idp, instanceOrgId),
    state: 'IDP_STATE_ACTIVE',
    name: idp.name,
    owner: idp.orgId ? 'IDP_OWNER_TYPE_ORG' : 'IDP_OWNER_TYPE_SYSTEM',
    type: 'PROVIDER_TYPE_OIDC',
    config: config(idp),
  };
}

export function idpRoutes(services: EmulatorServices): RouteDefinition[] {
  const { idps } = services;
  const list = (found: Idp[]) => ({
    status: 200,
    body: {
      details: { totalResult: String(found.length), viewTimestamp: new Date().toISOString() },
      ...(found.length ? { result: found.map((idp) => toProvider(idp, services.defaultOrgId)) } : {}),
    },
  });
  return [
    {
      method: 'GET',
      path: '/v2/idps/{id}',
      auth: 'bearer',
      async handle({ principal, params }) {
        const idp = idps.find(params.id);
        if (!idp || (idp.orgId && principal.role !== 'IAM_OWNER' && idp.orgId !== principal.orgId)) {
          throw zitadelError(GrpcCode.NotFound, 'QUERY-SAFrt', 'Errors.IDPConfig.NotExisting');
        }
        return { status: 200, body: { idp: toV2Idp(idp, services.defaultOrgId) } };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/idps/templates/_search',
      auth: 'bearer',
      async handle({ principal }) {
        requireIamOwner(principal, 'iam.idp.read');
        return list(idps.list());
      },
    },
    {
      method: 'POST',
      path: '/management/v1/idps/templates/_search',
      auth: 'bearer',
      async handle({ principal, req }) {
        const header = req.headers['x-zitadel-orgid'];
        const orgId = (typeof header === 'string' && header) || principal.orgId;
        requireUserPermission(principal, orgId, 'user.read');
        return list(idps.list(orgId));
      },
    },
  ];
}
