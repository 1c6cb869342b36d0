// Bearer tokens for ZITADEL calls. A PAT is used as is; client credentials and key files are
// exchanged at the token endpoint and the answer is cached until shortly before it expires.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FatalError } from '@idflow/engine';
import type { Pool } from 'undici';
import type { ResolvedAuth } from './auth-config.js';
import { signJwtAssertion, readServiceAccountKey } from './jwt-assertion.js';
import { requestToken } from './token-endpoint.js';

/** Hands out a valid bearer token; never logs or returns it anywhere else. */
export interface TokenProvider {
  readonly kind: ResolvedAuth['kind'];
  /** A token valid now (cached when possible). */
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached token after a 401; false when this kind cannot get a new one (PAT). */
  invalidate(): boolean;
}

/** Refresh this long before `expires_in` runs out, so no call carries a token about to expire. */
const refreshMarginMs = 60_000;

/** Builds the provider for the chosen credential; `issuer` is the ZITADEL base URL. */
export function createTokenProvider(auth: ResolvedAuth, issuer: URL, pool: Pool, baseDir: string): TokenProvider {
  if (auth.kind === 'pat') {
    return { kind: 'pat', token: async () => auth.pat, invalidate: () => false };
  }
  const exchange = auth;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const keyFilePath = exchange.kind === 'key-file' ? resolve(baseDir, exchange.keyFile) : '';

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({ scope: exchange.scope });
    let basicAuth: string | undefined;
    if (exchange.kind === 'client-credentials') {
      form.set('grant_type', 'client_credentials');
      basicAuth = `${encodeURIComponent(exchange.clientId)}:${encodeURIComponent(exchange.clientSecret)}`;
    } else {
      let keyText: string;
      try {
        keyText = await readFile(keyFilePath, 'utf8');
      } catch (error) {
        throw new FatalError(`cannot read the ZITADEL key file ${exchange.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, 'AUTH_KEY_FILE');
      }
      const key = readServiceAccountKey(keyText, exchange.keyFile);
      form.set('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      form.set('assertion', await signJwtAssertion(key, issuer));
    }
    const answer = await requestToken(pool, issuer, form, basicAuth, exchange.kind, signal);
    cached = { token: answer.accessToken, refreshAt: Date.now() + Math.max(0, answer.expiresInMs - refreshMarginMs) };
    return answer.accessToken;
  }

  return {
    kind: auth.kind,
    async token(signal) {
      if (cached && Date.now() < cached.refreshAt) return cached.token;
      // One exchange at a time: concurrent callers share it instead of stampeding the endpoint.
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}
