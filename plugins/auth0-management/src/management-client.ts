// The one HTTP door to Auth0: a client-credentials token (POST /oauth/token), then Management API
// calls with it. Every call paces itself on the tenant's rate-limit headers, waits out 429s as the
// answer says, retries 5xx and network failures with backoff, and fetches a new token once on a
// 401. Neither the client secret nor the token ever enters a message: errors quote Auth0's
// `error`/`message` fields and HTTP statuses only.
import { createRequire } from 'node:module';
import { FatalError } from '@idflow/engine';
import type { Agent, Dispatcher } from 'undici';
import { bucketEmpty, type Headers, serverWaitMs } from './rate-limit.js';
import { interruptibleSleep } from './sleep.js';

/** One answer, its body parsed as JSON when it is JSON. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ClientSettings {
  tenant: URL;
  audience: string;
  clientId: string;
  clientSecret: string;
}

/** What the client reports while it works (the plugin context, narrowed). */
export interface ClientHooks {
  signal: AbortSignal;
  log(message: string, fields?: { [key: string]: unknown }): void;
  count(metric: string): void;
}

/** Network failures and 5xx: tries per call, the first included. */
const TRANSIENT_ATTEMPTS = 8;
/** Rate-limit waits and retries of one call stop after this long. */
const CALL_BUDGET_MS = 15 * 60_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Exponential backoff with jitter, 500 ms doubling to 30 s. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** A network failure in a few words (never its request, which may hold a token). */
export function networkFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return `network error${typeof code === 'string' ? ` ${code}` : ''}`;
}

/** Auth0's error text from either of its error shapes, for messages. */
export function auth0ErrorText(body: unknown): string {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.length < 200 ? body : '';
  const b = body as { error?: unknown; error_description?: unknown; message?: unknown; errorCode?: unknown };
  const parts = [b.error_description ?? b.message, b.errorCode ?? b.error].filter((part): part is string => typeof part === 'string' && part !== '');
  return [...new Set(parts)].join(', ');
}

export class ManagementClient {
  readonly agent: Agent;
  private token: { value: string; expiresAt: number } | undefined;
  /** The bucket was empty: no call before this time (ms). */
  private pausedUntil = 0;

  constructor(
    readonly settings: ClientSettings,
    private readonly hooks: ClientHooks,
  ) {
    // Loaded when a pipeline exports from Auth0, not at every start of the CLI.
    const { Agent: AgentClass } = createRequire(import.meta.url)('undici') as typeof import('undici');
    this.agent = new AgentClass({ keepAliveTimeout: 30_000, connections: 4 });
  }

  /** A Management API call (`path` under the tenant), JSON in and out, retried as the header comment says. */
  async call(method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<HttpAnswer> {
    let refreshed = false;
    return this.withRetries(what, async () => {
      const token = await this.accessToken();
      const answer = await this.send(method, path, body, { authorization: `Bearer ${token}` });
      if (answer.status === 401 && !refreshed) {
        // Expired or revoked: one new token, then the answer stands.
        refreshed = true;
        this.token = undefined;
        return 'again';
      }
      return answer;
    });
  }

  /** A cached token, or a new one from the client credentials grant. */
  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    const { tenant, audience, clientId, clientSecret } = this.settings;
    const answer = await this.withRetries('token request', () =>
      this.send('POST', '/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience }, {}),
    );
    const body = answer.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (answer.status !== 200 || typeof body?.access_token !== 'string') {
      const reason = auth0ErrorText(answer.body) || `HTTP ${answer.status}`;
      throw new FatalError(
        `Auth0 refused the client credentials at ${tenant.origin}/oauth/token (${answer.status} ${reason}): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application is a machine-to-machine application authorized for the Management API (audience ${audience})`,
        'AUTH_REFUSED',
      );
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renewed a minute early, so a token never expires between reading it and Auth0 checking it.
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, expiresIn - 60) * 1000 };
    this.hooks.log('Auth0 token obtained', { expiresIn });
    return body.access_token;
  }

  /**
   * Runs `attempt` until it gives an answer that is neither a 429 nor a 5xx (nor 'again'): waits
   * for an empty bucket to refill before each try, as long as a 429 says, or with backoff.
   */
  private async withRetries(what: string, attempt: () => Promise<HttpAnswer | 'again'>): Promise<HttpAnswer> {
    const started = Date.now();
    let transient = 0;
    for (;;) {
      await this.waitForBucket();
      let answer: HttpAnswer | 'again';
      let reason: string;
      try {
        answer = await attempt();
        if (answer === 'again') continue;
        if (answer.status !== 429 && answer.status < 500) return answer;
        reason = answer.status === 429 ? 'rate limited (429)' : `HTTP ${answer.status} ${auth0ErrorText(answer.body)}`.trim();
      } catch (error) {
        if (error instanceof FatalError) throw error;
        this.throwIfInterrupted();
        answer = 'again';
        reason = networkFailure(error);
      }
      const rateLimited = answer !== 'again' && answer.status === 429;
      if (!rateLimited && ++transient >= TRANSIENT_ATTEMPTS) {
        throw new FatalError(`Auth0 ${what} failed ${transient} times at ${this.settings.tenant.origin}; last: ${reason}`, 'SOURCE_UNAVAILABLE');
      }
      const wait = (answer !== 'again' ? serverWaitMs(answer.headers) : undefined) ?? backoffMs(transient + 1);
      if (Date.now() - started + wait > CALL_BUDGET_MS) {
        throw new FatalError(`Auth0 ${what} gave up after ${Math.round((Date.now() - started) / 1000)} s: ${reason}; the next try would be in ${Math.round(wait / 1000)} s`, 'SOURCE_UNAVAILABLE');
      }
      if (rateLimited) {
        this.hooks.count('export.rate-limited');
        this.hooks.log(`Auth0 rate limit reached during the ${what}: waiting ${wait} ms`, { waitMs: wait });
      } else this.hooks.log(`Auth0 ${what} failed (${reason}): retrying in ${wait} ms`, { waitMs: wait });
      await interruptibleSleep(wait, this.hooks.signal);
    }
  }

  /** Waits while the last answer said the bucket is empty. */
  private async waitForBucket(): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      this.hooks.log(`Auth0 rate-limit bucket empty: waiting ${wait} ms for it to refill`, { waitMs: wait });
      await interruptibleSleep(wait, this.hooks.signal);
    }
  }

  private throwIfInterrupted(): void {
    this.hooks.signal.throwIfAborted();
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<HttpAnswer> {
    const options: Dispatcher.RequestOptions = {
      origin: this.settings.tenant.origin,
      path,
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: this.hooks.signal,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    };
    const response = await this.agent.request(options);
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML page: described by its status.
    }
    const answer = { status: response.statusCode, headers: response.headers, body: parsed };
    if (bucketEmpty(answer.headers)) this.pausedUntil = Date.now() + (serverWaitMs(answer.headers) ?? 1000);
    return answer;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
