// Bearer authentication and ZITADEL's permission checks: IAM_OWNER for import and events,
// `user.write` on the org for v2 user calls. Messages never contain the token.
import type { IncomingMessage } from 'node:http';
import type { CredentialStore, Principal } from '../db/credential-store.js';
import { ApiError, GrpcCode, permissionDenied } from '../http/api-error.js';

function tokenInvalid(reason: string): ApiError {
  return new ApiError(GrpcCode.Unauthenticated, `Errors.Token.Invalid (AUTH-7fs1e): ${reason}`, 'AUTH-7fs1e', 'Errors.Token.Invalid');
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The caller behind the request's bearer token; 401 when missing, unknown or expired. */
export function authenticate(req: IncomingMessage, credentials: CredentialStore): Principal {
  if (!req.headers.authorization) {
    throw new ApiError(GrpcCode.Unauthenticated, 'auth header missing (AUTH-7fs1e)', 'AUTH-7fs1e', 'Errors.Token.Missing');
  }
  const token = bearerToken(req);
  if (!token) throw tokenInvalid('the Authorization header is not "Bearer <token>"');
  const lookup = credentials.findToken(token, Date.now());
  if (!lookup.ok) throw tokenInvalid(lookup.reason === 'expired' ? 'token expired' : 'unknown token');
  if (!lookup.principal.apiAudience) {
    throw tokenInvalid('token lacks the ZITADEL API audience (request scope urn:zitadel:iam:org:project:id:zitadel:aud)');
  }
  return lookup.principal;
}

/** Instance-level permission (`iam.write`, `events.read`): IAM_OWNER only. */
export function requireIamOwner(principal: Principal, permission: string): void {
  if (principal.role !== 'IAM_OWNER') throw permissionDenied(permission);
}

/** `user.write` (or `user.read`) on `orgId`: IAM_OWNER anywhere, an org user writer in its own org. */
export function requireUserPermission(principal: Principal, orgId: string, permission: 'user.write' | 'user.read'): void {
  if (principal.role === 'IAM_OWNER') return;
  if (principal.role === 'ORG_USER_WRITER' && principal.orgId === orgId) return;
  throw permissionDenied(`${permission} on org ${orgId}`);
}
