// What a client may read about its own context before it writes: its permissions and its org.
// - `POST /auth/v1/permissions/zitadel/me/_search` (Auth API ListMyZitadelPermissions,
//   proto/zitadel/auth.proto, `permission: "authenticated"`): the permissions the caller's
//   memberships in the org of `x-zitadel-orgid` and in the instance give
//   (`Queries.MyZitadelPermissions`, internal/query/zitadel_permission.go), mapped from roles as
//   `InternalAuthZ.RolePermissionMappings` in cmd/defaults.yaml does.
// - `GET /management/v1/orgs/me` (Management API GetMyOrg): the org of `x-zitadel-orgid`, with
//   `org.read`.
// Both go through the auth interceptor, which answers PermissionDenied "Organisation doesn't exist"
// (AUTH-Bs7Ds) for an `x-zitadel-orgid` naming no org (`VerifyTokenAndCreateCtxData`,
// internal/api/authz/context.go); without the header the caller's own org is the context.
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../db/credential-store.js';
import { ApiError, GrpcCode, permissionDenied } from '../http/api-error.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';

// cmd/defaults.yaml, InternalAuthZ.RolePermissionMappings: IAM_OWNER (instance member) …
const IAM_OWNER_PERMISSIONS = [
  'iam.read', 'iam.write', 'iam.policy.read', 'iam.policy.write', 'iam.policy.delete', 'iam.member.read', 'iam.member.write', 'iam.member.delete',
  'iam.idp.read', 'iam.idp.write', 'iam.idp.delete', 'iam.action.read', 'iam.action.write', 'iam.action.delete', 'iam.flow.read', 'iam.flow.write',
  'iam.flow.delete', 'iam.feature.read', 'iam.feature.write', 'iam.feature.delete', 'iam.restrictions.read', 'iam.restrictions.write',
  'iam.web_key.write', 'iam.web_key.delete', 'iam.web_key.read', 'iam.debug.write', 'iam.debug.read', 'org.read', 'org.global.read', 'org.create',
  'org.write', 'org.delete', 'org.member.read', 'org.member.write', 'org.member.delete', 'org.idp.read', 'org.idp.write', 'org.idp.delete',
  'org.action.read', 'org.action.write', 'org.action.delete', 'org.flow.read', 'org.flow.write', 'org.flow.delete', 'org.feature.read',
  'org.feature.write', 'org.feature.delete', 'user.read', 'user.global.read', 'user.write', 'user.delete', 'user.grant.read', 'user.grant.write',
  'user.grant.delete', 'user.membership.read', 'user.credential.write', 'user.passkey.write', 'user.feature.read', 'user.feature.write',
  'user.feature.delete', 'policy.read', 'policy.write', 'policy.delete', 'project.read', 'project.create', 'project.write', 'project.delete',
  'project.member.read', 'project.member.write', 'project.member.delete', 'project.role.read', 'project.role.write', 'project.role.delete',
  'project.app.read', 'project.app.write', 'project.app.delete', 'project.grant.read', 'project.grant.write', 'project.grant.delete',
  'project.grant.member.read', 'project.grant.member.write', 'project.grant.member.delete', 'events.read', 'milestones.read', 'session.read',
  'session.write', 'session.delete', 'action.target.read', 'action.target.write', 'action.target.delete', 'action.execution.read',
  'action.execution.write', 'userschema.read', 'userschema.write', 'userschema.delete', 'group.create', 'group.write', 'group.read', 'group.delete',
  'group.user.write', 'group.user.read', 'group.user.delete',
];

// … and ORG_USER_MANAGER (org member), which the emulator's ORG_USER_WRITER stands for.
const ORG_USER_MANAGER_PERMISSIONS = [
  'org.read', 'user.read', 'user.global.read', 'user.write', 'user.delete', 'user.grant.read', 'user.grant.write', 'user.grant.delete',
  'user.membership.read', 'user.feature.read', 'user.feature.write', 'user.feature.delete', 'policy.read', 'project.read', 'project.role.read',
  'session.read', 'session.delete', 'group.read', 'group.user.read',
];

/** The org the request runs in: `x-zitadel-orgid`, else the caller's own; AUTH-Bs7Ds when it does not exist. */
function contextOrg(req: IncomingMessage, principal: Principal, services: EmulatorServices): string {
  const header = req.headers['x-zitadel-orgid'];
  const orgId = (Array.isArray(header) ? header[0] : header) || principal.orgId;
  if (!services.store.orgExists(orgId)) throw new ApiError(GrpcCode.PermissionDenied, "Organisation doesn't exist (AUTH-Bs7Ds)", 'AUTH-Bs7Ds', "Organisation doesn't exist");
  return orgId;
}

/** The caller's permissions in `orgId` and the instance. */
function permissionsIn(principal: Principal, orgId: string): string[] {
  if (principal.role === 'IAM_OWNER') return IAM_OWNER_PERMISSIONS;
  return principal.orgId === orgId ? ORG_USER_MANAGER_PERMISSIONS : [];
}

export function callerContextRoutes(services: EmulatorServices): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: '/auth/v1/permissions/zitadel/me/_search',
      auth: 'bearer',
      async handle({ req, principal }) {
        const permissions = permissionsIn(principal, contextOrg(req, principal, services));
        // protojson leaves out an empty list.
        return { status: 200, body: permissions.length ? { result: permissions } : {} };
      },
    },
    {
      method: 'GET',
      path: '/management/v1/orgs/me',
      auth: 'bearer',
      async handle({ req, principal }) {
        const orgId = contextOrg(req, principal, services);
        if (!permissionsIn(principal, orgId).includes('org.read')) throw permissionDenied(`org.read on org ${orgId}`);
        const org = services.store.findOrg(orgId);
        // The emulator's orgs are never deactivated.
        return { status: 200, body: { org: { id: orgId, state: 'ORG_STATE_ACTIVE', name: org?.name ?? '' } } };
      },
    },
  ];
}
