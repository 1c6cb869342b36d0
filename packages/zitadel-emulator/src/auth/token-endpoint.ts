// `POST /oauth/v2/token`: client credentials (HTTP Basic or form) and the JWT-profile grant
// (an RS256 assertion signed with a service-user key). Errors use RFC 6749 bodies.
import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { CredentialStore } from '../db/credential-store.js';
import type { RouteDefinition, RouteReply } from '../http/route.js';
import { newSecret } from '../ids.js';

export const API_AUDIENCE_SCOPE = 'urn:zitadel:iam:org:project:id:zitadel:aud';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** ZITADEL refuses assertions valid for longer than an hour. */
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

export interface TokenEndpointDeps {
  credentials: CredentialStore;
  /** The issuer URL assertions must name as audience (known once the server listens). */
  issuer: () => string;
  tokenTtlSeconds: number;
}

function oauthError(status: number, error: string, description: string): RouteReply {
  return { status, body: { error, error_description: description }, headers: { 'Cache-Control': 'no-store' } };
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = header && /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
}

/** Verifies a JWT-profile assertion; the machine user id, or an RFC 6749 error reply. */
async function verifyAssertion(assertion: string, deps: TokenEndpointDeps): Promise<string | RouteReply> {
  let keyId: string | undefined;
  try {
    keyId = decodeProtectedHeader(assertion).kid;
  } catch {
    return oauthError(400, 'invalid_grant', 'assertion is not a JWT');
  }
  const key = keyId ? deps.credentials.findKey(keyId) : undefined;
  if (!key) return oauthError(400, 'invalid_grant', 'assertion key (kid) is unknown');
  const issuer = deps.issuer();
  try {
    const { payload } = await jwtVerify(assertion, createPublicKey(key.publicKeyPem), {
      algorithms: ['RS256'],
      audience: [issuer, `${issuer}/`],
      issuer: key.userId,
      subject: key.userId,
      requiredClaims: ['exp', 'iat'],
      clockTolerance: 5,
    });
    if ((payload.exp ?? 0) - Math.floor(Date.now() / 1000) > MAX_ASSERTION_LIFETIME_SECONDS + 5) {
      return oauthError(400, 'invalid_grant', 'assertion "exp" is more than one hour ahead');
    }
    return key.userId;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return oauthError(400, 'invalid_grant', `assertion rejected: ${error.message}`);
    throw error;
  }
}

/** The token endpoint route. */
export function tokenEndpointRoute(deps: TokenEndpointDeps): RouteDefinition {
  return {
    method: 'POST',
    path: '/oauth/v2/token',
    auth: 'none',
    async handle({ req, body }) {
      const form = new URLSearchParams(body.text);
      const grantType = form.get('grant_type');
      if (!grantType) return oauthError(400, 'invalid_request', 'grant_type missing');
      let userId: string | undefined;
      if (grantType === 'client_credentials') {
        const basic = basicCredentials(req.headers.authorization);
        const clientId = basic?.clientId ?? form.get('client_id');
        const clientSecret = basic?.clientSecret ?? form.get('client_secret');
        if (!clientId || !clientSecret) return oauthError(401, 'invalid_client', 'client authentication missing');
        userId = deps.credentials.authenticateClient(clientId, clientSecret);
        if (!userId) return oauthError(401, 'invalid_client', 'client authentication failed');
      } else if (grantType === JWT_BEARER_GRANT) {
        const assertion = form.get('assertion');
        if (!assertion) return oauthError(400, 'invalid_request', 'assertion missing');
        const verified = await verifyAssertion(assertion, deps);
        if (typeof verified !== 'string') return verified;
        userId = verified;
      } else {
        return oauthError(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grantType)} is not supported`);
      }
      const scopes = (form.get('scope') ?? '').split(/\s+/);
      const accessToken = newSecret();
      deps.credentials.saveAccessToken(
        accessToken,
        userId,
        scopes.includes(API_AUDIENCE_SCOPE),
        Date.now() + deps.tokenTtlSeconds * 1000,
      );
      return {
        status: 200,
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: deps.tokenTtlSeconds },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  };
}
