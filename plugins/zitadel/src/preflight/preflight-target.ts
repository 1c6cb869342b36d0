// A ZITADEL sink's preflight: before the source is read, one look at the target answers what an
// operator most often gets wrong — a wrong URL or port, a token that is refused or lacks a role, an
// organization that does not exist or is deactivated, IdP links to IdPs that do not exist, are
// inactive or (import) allow no account creation — in seconds, with what to do, never a secret.
// The calls (all reads):
// - `POST /auth/v1/permissions/zitadel/me/_search` with `x-zitadel-orgid` (Auth API
//   ListMyZitadelPermissions, proto/zitadel/auth.proto): the caller's permissions in the org and the
//   instance (`Queries.MyZitadelPermissions`, internal/query/zitadel_permission.go). The auth
//   interceptor answers PermissionDenied "Organisation doesn't exist" (AUTH-Bs7Ds,
//   internal/api/authz/context.go) for an unknown org.
// - `GET /management/v1/orgs/me` with `x-zitadel-orgid` (GetMyOrg): the org's state.
// - `GET /v2/idps/{id}` (IdentityProviderService.GetIDPByID, proto/zitadel/idp/v2/idp_service.proto):
//   state and options (`isCreationAllowed`, `isAutoCreation`, which `addUserIDPLink` checks for a new
//   user, internal/command/user_idp_link.go).
// Which hash verifiers the instance enables is not readable through any API (see verifier-watch.ts).
import { FatalError, type PluginContext } from '@idflow/engine';
import { describeErrorBody, errorText } from '../http/error-body.js';
import { TransientError } from '../http/transient-error.js';
import type { HttpAnswer, ZitadelHttp } from '../http/zitadel-http.js';
import { type AttemptResult, retryWithBackoff } from '../retry/retry-policy.js';

/** What the sink will need of the target. */
export interface PreflightNeeds {
  /** The sink's plugin name, for messages. */
  sink: string;
  orgId: string;
  /** Given: the import creates the org when it is missing. */
  orgName?: string;
  /** The permission the writes need: `iam.write` (bulk import) or `user.write` (v2). */
  permission: 'iam.write' | 'user.write';
  /** The role that grants it, for the message. */
  role: string;
  /** IdP id → Auth0 connections mapped to it. */
  idpLinks: Map<string, string[]>;
  /** The import refuses a link to an IdP that allows neither creation nor auto-creation; v2 only needs it to exist. */
  idpCreationRequired: boolean;
}

/** Short and few: a wrong port must fail in seconds, a restarting instance gets a second chance. */
const checkPolicy = { attempts: 2, maxElapsedMs: 30_000, initialDelayMs: 1000, maxDelayMs: 1000 };
const checkTimeoutMs = 10_000;

interface IdpAnswer {
  idp?: { id?: string; name?: string; state?: string; config?: { options?: { isCreationAllowed?: boolean; isAutoCreation?: boolean } } };
}

/** Checks the target; throws a FatalError (exit 1) saying what is wrong, where, and what to do. */
export async function preflightTarget(http: ZitadelHttp, needs: PreflightNeeds, ctx: PluginContext, signal: AbortSignal): Promise<void> {
  const origin = http.baseUrl.origin;
  const orgHeader = { 'x-zitadel-orgid': needs.orgId };

  /** One read, retried once on a network failure or 5xx; answers 401 and 403 to the caller. */
  async function read(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const result = await retryWithBackoff(
      checkPolicy,
      async (): Promise<AttemptResult<HttpAnswer>> => {
        try {
          const options = { timeoutMs: checkTimeoutMs, signal, headers, answerForbidden: true };
          const answer = method === 'GET' ? await http.get(path, options) : await http.post(path, {}, options);
          if (answer.status >= 500 || answer.status === 429) return { kind: 'retry', reason: `HTTP ${answer.status} ${describeErrorBody(answer.status, answer.body)}` };
          return { kind: 'done', value: answer };
        } catch (error) {
          if (error instanceof TransientError) return { kind: 'retry', reason: error.message };
          throw error;
        }
      },
      { signal },
    );
    if (result.kind === 'done') return result.value;
    throw new FatalError(
      `cannot reach ZITADEL at ${origin}: ${result.reason} (checked before reading any user). Check sink.with.url — scheme, host and port of the instance, e.g. https://my-instance.zitadel.cloud — and that it is up`,
      'TARGET_UNREACHABLE',
    );
  }

  const notZitadel = (path: string, answer: HttpAnswer) =>
    new FatalError(
      `${origin} answered HTTP ${answer.status} to ${path}, which every ZITADEL instance serves: sink.with.url does not point at a ZITADEL instance's base URL (${describeErrorBody(answer.status, answer.body)})`,
      'TARGET_UNEXPECTED',
    );

  // 1. Reachable, credentials valid, the org exists, the permission is granted.
  const permissionsPath = '/auth/v1/permissions/zitadel/me/_search';
  let answer = await read('POST', permissionsPath, orgHeader);
  let orgMissing = false;
  if (answer.status === 403 && /AUTH-Bs7Ds|Organisation doesn't exist/i.test(errorText(answer.body))) {
    orgMissing = true;
    if (!needs.orgName) {
      throw new FatalError(
        `organization ${needs.orgId} does not exist in ZITADEL at ${origin} (AUTH-Bs7Ds): check sink.with.orgId (ZITADEL_ORG_ID)${needs.sink === 'zitadel-import' ? ', or set sink.with.orgName to have the import create it' : ''}`,
        'ORG_NOT_FOUND',
      );
    }
    // The import will create it: the permission must then be granted on the instance.
    answer = await read('POST', permissionsPath);
  }
  if (answer.status === 403) {
    throw new FatalError(`ZITADEL at ${origin} denied ${permissionsPath} (${describeErrorBody(403, answer.body)}): the ${http.authKind} credentials cannot be used here`, 'AUTH_FORBIDDEN');
  }
  if (answer.status !== 200) throw notZitadel(permissionsPath, answer);
  const permissions = (answer.body as { result?: unknown } | undefined)?.result;
  if (permissions !== undefined && !Array.isArray(permissions)) throw notZitadel(permissionsPath, answer);
  if (!((permissions ?? []) as unknown[]).includes(needs.permission)) {
    throw new FatalError(
      `the service user behind the ${http.authKind} credentials lacks the permission ${needs.permission} ${orgMissing ? 'on the instance' : `in organization ${needs.orgId}`} at ${origin}, which ${needs.sink} needs: grant it the ${needs.role} role`,
      'PERMISSION_MISSING',
    );
  }

  // 2. The org is active (a user of a deactivated org cannot log in).
  if (!orgMissing) {
    const orgPath = '/management/v1/orgs/me';
    const org = await read('GET', orgPath, orgHeader);
    const found = (org.body as { org?: { name?: string; state?: string } } | undefined)?.org;
    if (org.status === 200 && found?.state && found.state !== 'ORG_STATE_ACTIVE') {
      throw new FatalError(
        `organization ${needs.orgId} (${found.name ?? 'no name'}) at ${origin} is ${found.state.replace('ORG_STATE_', '').toLowerCase()}: its users could not log in. Reactivate it, or choose another sink.with.orgId`,
        'ORG_UNUSABLE',
      );
    }
    if (org.status !== 200) ctx.warn(`could not read organization ${needs.orgId}'s state (${orgPath}: ${describeErrorBody(org.status, org.body)}); its existence was checked`);
  }

  // 3. Every IdP the mapping links users to exists, is active and (import) lets users be created.
  const problems: string[] = [];
  for (const [idpId, connections] of needs.idpLinks) {
    const path = `/v2/idps/${encodeURIComponent(idpId)}`;
    const reply = await read('GET', path, orgHeader);
    const named = `IdP ${idpId} (Auth0 connection ${connections.join(', ')})`;
    if (reply.status === 403) {
      ctx.warn(`cannot check ${named}: the service user may not read IdPs (${describeErrorBody(403, reply.body)}); a link to a missing IdP fails its user`);
      continue;
    }
    const idp = reply.status === 200 ? (reply.body as IdpAnswer | undefined)?.idp : undefined;
    if (!idp) {
      problems.push(`${named} does not exist${reply.status === 404 || reply.status === 200 ? '' : ` (HTTP ${reply.status} ${describeErrorBody(reply.status, reply.body)})`}`);
      continue;
    }
    if (idp.state && idp.state !== 'IDP_STATE_ACTIVE') problems.push(`${named} "${idp.name ?? ''}" is ${idp.state.replace('IDP_STATE_', '').toLowerCase()}`);
    const options = idp.config?.options;
    if (needs.idpCreationRequired && options && !options.isCreationAllowed && !options.isAutoCreation) {
      problems.push(`${named} "${idp.name ?? ''}" allows neither account creation nor auto-creation, so the import refuses users linked to it (Errors.ExternalIDP.CreationNotAllowed): allow creation in the IdP's settings`);
    }
  }
  if (problems.length > 0) {
    throw new FatalError(`field-mapper's idpLinks name IdPs that ZITADEL at ${origin} cannot link users to: ${problems.join('; ')}. Fix idpLinks or the IdPs, then run again`, 'IDP_UNUSABLE');
  }
}
