// `POST /oauth/v2/token`: one exchange, with RFC 6749 errors turned into secret-free messages.
import { FatalError } from '@idflow/engine';
import type { Pool } from 'undici';
import { TransientError, describeNetworkError } from '../http/transient-error.js';

export interface TokenAnswer {
  accessToken: string;
  expiresInMs: number;
}

/** Exchanges `form` for an access token; 4xx → FatalError, 5xx/network → TransientError. */
export async function requestToken(
  pool: Pool,
  issuer: URL,
  form: URLSearchParams,
  basicAuth: string | undefined,
  kind: string,
  signal?: AbortSignal,
): Promise<TokenAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basicAuth) headers.authorization = `Basic ${Buffer.from(basicAuth).toString('base64')}`;
  let status: number;
  let text: string;
  try {
    const response = await pool.request({
      path: `${issuer.pathname.replace(/\/$/, '')}/oauth/v2/token`,
      method: 'POST',
      headers,
      body: form.toString(),
      signal,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    throw new TransientError(`token endpoint: ${describeNetworkError(error)}`);
  }
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // A non-JSON answer is reported by status below.
  }
  if (status >= 500 || status === 429) throw new TransientError(`token endpoint answered HTTP ${status}`);
  if (status !== 200 || typeof body.access_token !== 'string') {
    const oauthError = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
    const description = typeof body.error_description === 'string' ? ` (${body.error_description})` : '';
    throw new FatalError(`ZITADEL refused the ${kind} credentials at ${issuer.origin}/oauth/v2/token: ${oauthError}${description}`, 'AUTH_REFUSED');
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  return { accessToken: body.access_token, expiresInMs: expiresIn * 1000 };
}
