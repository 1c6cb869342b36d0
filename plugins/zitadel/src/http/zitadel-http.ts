// The one HTTP door to ZITADEL: a keep-alive undici Pool, bearer auth with one refresh on 401,
// JSON in and out. Network failures surface as TransientError for the caller's retry loop.
import { FatalError } from '@idflow/engine';
import { createRequire } from 'node:module';
import type { Pool } from 'undici';
import type { AuthConfig } from '../auth/auth-config.js';
import { resolveAuth } from '../auth/auth-config.js';
import { type TokenProvider, createTokenProvider } from '../auth/token-provider.js';
import { describeErrorBody } from './error-body.js';
import { requireSecureUrl } from './require-secure-url.js';
import { TransientError, describeNetworkError } from './transient-error.js';

type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** One HTTP answer with its body parsed as JSON when possible. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  elapsedMs: number;
}

/** Where and how to reach ZITADEL. */
export interface ZitadelTarget {
  url: string;
  auth?: AuthConfig;
  allowInsecure?: boolean;
  /** Keep-alive connections in the pool. */
  connections?: number;
  /** Directory a relative key file path is resolved against. */
  baseDir: string;
}

export interface PostOptions {
  /** Give up waiting for the answer after this many ms (TransientError "request timed out"). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra headers, e.g. `x-zitadel-orgid` for calls in an organization's context. */
  headers?: Record<string, string>;
  /** Answer a 403 to the caller instead of throwing (checks that tell what a denial means). */
  answerForbidden?: boolean;
}

/** An authenticated JSON client for one ZITADEL instance; `close()` ends the pool. */
export class ZitadelHttp {
  readonly baseUrl: URL;
  private readonly pool: Pool;
  private readonly tokens: TokenProvider;
  private readonly pathPrefix: string;

  constructor(target: ZitadelTarget) {
    this.baseUrl = requireSecureUrl(target.url, target.allowInsecure ?? false);
    this.pathPrefix = this.baseUrl.pathname.replace(/\/$/, '');
    // Loaded when a pipeline talks to ZITADEL, not at every start of the CLI.
    const { Pool } = createRequire(import.meta.url)('undici') as typeof import('undici');
    this.pool = new Pool(this.baseUrl.origin, {
      connections: target.connections ?? 16,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    });
    this.tokens = createTokenProvider(resolveAuth(target.auth), this.baseUrl, this.pool, target.baseDir);
  }

  /** The credential kind in use (`pat`, `client-credentials`, `key-file`), safe to log. */
  get authKind(): string {
    return this.tokens.kind;
  }

  /**
   * POSTs JSON. A 401 drops the cached token and tries once more with a fresh one; a second 401
   * (or any 401 with a PAT) and a 403 are fatal: no retry can fix credentials.
   */
  async post(path: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
    return this.request('POST', path, JSON.stringify(body), options);
  }

  /** PATCHes JSON (UpdateUser), with the same credential handling as `post`. */
  async patch(path: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
    return this.request('PATCH', path, JSON.stringify(body), options);
  }

  /** GETs JSON, with the same credential handling as `post`. */
  async get(path: string, options: PostOptions): Promise<HttpAnswer> {
    return this.request('GET', path, undefined, options);
  }

  private async request(method: HttpMethod, path: string, payload: string | undefined, options: PostOptions): Promise<HttpAnswer> {
    let answer = await this.send(method, path, payload, options);
    if (answer.status === 401 && this.tokens.invalidate()) answer = await this.send(method, path, payload, options);
    if (answer.status === 401) {
      throw new FatalError(
        `ZITADEL at ${this.baseUrl.origin} refused the ${this.tokens.kind} credentials (401 Unauthenticated): check the token and that the service user still exists`,
        'AUTH_REFUSED',
      );
    }
    if (answer.status === 403 && !options.answerForbidden) {
      throw new FatalError(
        `ZITADEL at ${this.baseUrl.origin} denied ${path} (403 PermissionDenied: ${describeErrorBody(403, answer.body)}): the service user needs IAM_OWNER for bulk import, ORG_USER_MANAGER for v2 user calls`,
        'AUTH_FORBIDDEN',
      );
    }
    return answer;
  }

  private async send(method: HttpMethod, path: string, payload: string | undefined, options: PostOptions): Promise<HttpAnswer> {
    const token = await this.tokens.token(options.signal);
    const started = performance.now();
    try {
      const response = await this.pool.request({
        path: this.pathPrefix + path,
        method,
        headers: { ...options.headers, 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: payload,
        signal: options.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const text = await response.body.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Proxies answer HTML; callers describe it by status.
      }
      return { status: response.statusCode, headers: response.headers, body: parsed, elapsedMs: performance.now() - started };
    } catch (error) {
      throw new TransientError(describeNetworkError(error));
    }
  }

  /** Closes the keep-alive pool. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
