// `zitadel-users`: one User Service v2 call per user, paced by a token bucket (`rateLimit`) and
// bounded by a fixed or adaptive (AIMD) concurrency limit over a keep-alive pool. A user whose
// id already exists (a re-run, or a retried call that did land) counts as present.
import { FatalError, type PluginContext, type RecordEnvelope, type Sink, type SinkOutcome, definePlugin } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import type { AuthConfig } from '../auth/auth-config.js';
import { authSchema } from '../auth/auth-config.js';
import { checkTargetConfig } from '../http/check-target-config.js';
import { describeErrorBody, errorText } from '../http/error-body.js';
import { tryListUsersByIds } from '../http/list-users.js';
import { sinkSignal } from '../http/sink-signal.js';
import { zitadelSinkTarget } from '../http/sink-target.js';
import { type HttpAnswer, ZitadelHttp } from '../http/zitadel-http.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryConfig, parseDurationMs, resolveRetryPolicy, retrySchema, retryWithBackoff } from '../retry/retry-policy.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { type UsersApi, buildUserRequest, usersApiPath } from './build-user-request.js';
import { AdaptiveRate } from './adaptive-rate.js';

/** `with:` of the `zitadel-users` sink. */
export interface UsersSinkConfig {
  url: string;
  orgId: string;
  auth: AuthConfig;
  allowInsecure?: boolean;
  api?: UsersApi;
  concurrency?: number | 'adaptive';
  maxConcurrency?: number;
  rateLimit?: number;
  requestTimeout?: string | number;
  retry?: RetryConfig;
}

const statePaths: Partial<Record<ZitadelUserRecord['state'], string>> = {
  USER_STATE_LOCKED: 'lock',
  USER_STATE_INACTIVE: 'deactivate',
};

/** Opens the per-user sink. Exported for tests and the benchmark. */
export function createUsersSink(
  config: UsersSinkConfig,
  ctx: PluginContext,
): Sink<ZitadelUserRecord> & { concurrency: AdaptiveConcurrency; pacing: AdaptiveRate } {
  const api = config.api ?? 'human';
  const maxConcurrency = config.maxConcurrency ?? 64;
  const concurrency = new AdaptiveConcurrency({ mode: config.concurrency ?? 'adaptive', max: maxConcurrency });
  const bucket = new AdaptiveRate(config.rateLimit ?? 40, concurrency.adaptive);
  const timeoutMs = parseDurationMs(config.requestTimeout ?? '30s');
  const policy = resolveRetryPolicy(config.retry);
  const signal = sinkSignal(ctx.signal);
  const http = new ZitadelHttp({
    url: config.url,
    auth: config.auth,
    allowInsecure: config.allowInsecure,
    baseDir: ctx.baseDir,
    connections: concurrency.adaptive ? maxConcurrency : (config.concurrency as number),
  });
  ctx.log('info', 'zitadel-users sink ready', { url: http.baseUrl.origin, auth: http.authKind, api, concurrency: config.concurrency ?? 'adaptive', rateLimit: bucket.rate });

  /** One paced, bounded call; latency and back-pressure feed the adaptive limit. */
  function call(path: string, body: unknown): Promise<HttpAnswer> {
    return concurrency.run(async () => {
      await bucket.take(signal);
      ctx.count('requests');
      // Resets and timeouts are failures, not pace signals: only answers feed the controllers.
      const answer = await http.post(path, body, { timeoutMs, signal });
      if (answer.status === 429) ctx.count('http429');
      bucket.record(answer.status === 429);
      concurrency.observe({ latencyMs: answer.elapsedMs, backpressure: answer.status === 429 || answer.status === 503 });
      return answer;
    });
  }

  /** A conflict (409, or 400 AlreadyExisting): present when this id holds this user, else the name is taken. */
  async function resolveConflict(record: ZitadelUserRecord, answer: HttpAnswer): Promise<AttemptResult<SinkOutcome>> {
    const lookup = await concurrency.run(async () => {
      await bucket.take(signal);
      ctx.count('requests');
      return tryListUsersByIds(http, [record.userId], signal);
    });
    if (lookup.kind === 'retry') return lookup;
    const user = lookup.value.get(record.userId);
    if (user && user.username.toLowerCase() === record.user.userName.toLowerCase()) return { kind: 'done', value: { status: 'present' } };
    const zitadel = describeErrorBody(answer.status, answer.body);
    if (user) {
      return { kind: 'done', value: { status: 'rejected', reason: `user id already used in ZITADEL by userName ${user.username}`, detail: { zitadel } } };
    }
    return { kind: 'done', value: { status: 'rejected', reason: 'userName already taken in ZITADEL', detail: { zitadel } } };
  }

  /** Reads the answer to a create call. */
  async function readAnswer(record: ZitadelUserRecord, answer: HttpAnswer): Promise<AttemptResult<SinkOutcome>> {
    if (answer.status === 200 || answer.status === 201) return { kind: 'done', value: { status: 'written' } };
    const retry = retryForAnswer(answer);
    if (retry) return retry;
    const text = errorText(answer.body);
    if (answer.status === 409 || /AlreadyExist|COMMAND-k2unb|V3-DKcYh/.test(text)) return resolveConflict(record, answer);
    if (answer.status === 400) {
      const hashProblem = /Errors\.(User\.Password\.(NotSupported|Invalid)|Hash\.NotSupported)/.exec(text);
      const zitadel = describeErrorBody(400, answer.body);
      const reason = hashProblem ? `ZITADEL refused the password hash: ${hashProblem[0]}` : `ZITADEL refused the user: ${zitadel}`;
      return { kind: 'done', value: { status: 'rejected', reason, detail: { zitadel } } };
    }
    throw new FatalError(`ZITADEL answered HTTP ${answer.status} to ${usersApiPath[api]}: ${describeErrorBody(answer.status, answer.body)}`, 'TARGET_UNEXPECTED');
  }

  /** v2 creation has no state field: a locked or inactive user gets a second call. */
  async function applyState(record: ZitadelUserRecord): Promise<void> {
    const action = statePaths[record.state];
    if (!action) return;
    const result = await retryWithBackoff(policy, async (): Promise<AttemptResult<true>> => {
      try {
        const answer = await call(`/v2/users/${encodeURIComponent(record.userId)}/${action}`, {});
        const retry = retryForAnswer(answer);
        if (retry) return retry;
        if (answer.status >= 300) {
          ctx.count('stateNotApplied');
          ctx.warn(`could not ${action} ${record.userId}: ${describeErrorBody(answer.status, answer.body)}`);
        }
        return { kind: 'done', value: true };
      } catch (error) {
        return retryForError(error);
      }
    }, { signal });
    if (result.kind === 'exhausted') ctx.warn(`could not ${action} ${record.userId}: ${result.reason}`);
  }

  async function sendUser(record: ZitadelUserRecord): Promise<SinkOutcome> {
    const body = buildUserRequest(api, record, config.orgId);
    const result = await retryWithBackoff(
      policy,
      async (): Promise<AttemptResult<SinkOutcome>> => {
        try {
          return await readAnswer(record, await call(usersApiPath[api], body));
        } catch (error) {
          return retryForError(error);
        }
      },
      { signal, onRetry: () => ctx.count('retries') },
    );
    if (result.kind === 'exhausted') return { status: 'retryable', reason: result.reason };
    if (result.value.status === 'written') await applyState(record);
    return result.value;
  }

  return {
    concurrency,
    pacing: bucket,
    // The sink spends the `retry:` budget itself; past it, the runner dead-letters at once.
    retry: { attempts: 1 },
    batching: { maxRecords: 256, lingerMs: 50 },
    target: () => zitadelSinkTarget('zitadel-users', http.baseUrl, config.orgId),
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      return Promise.all(batch.map((envelope) => sendUser(envelope.data)));
    },
    async close() {
      ctx.count('concurrencyRaises', concurrency.raises);
      ctx.count('concurrencyCuts', concurrency.cuts);
      ctx.log('info', 'zitadel-users sink closed', { concurrencyLimit: concurrency.limit, raises: concurrency.raises, cuts: concurrency.cuts });
      await http.close();
    },
  };
}

/** The `zitadel-users` plugin. */
export const usersSink = definePlugin({
  name: 'zitadel-users',
  kind: 'sink',
  description: 'Creates users one by one through ZITADEL\'s User Service v2, paced and with adaptive concurrency.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'orgId', 'auth'],
    properties: {
      url: { type: 'string', 'x-idflow': 'target', description: 'ZITADEL base URL (HTTPS unless loopback or allowInsecure).' },
      orgId: { type: 'string', 'x-idflow': 'target', description: 'Organization the users are created in.' },
      auth: authSchema,
      allowInsecure: { type: 'boolean', description: 'Allow plain http:// to a non-loopback host (credentials travel in clear).' },
      api: { type: 'string', enum: ['human', 'new'], description: 'human: POST /v2/users/human (AddHumanUser, default); new: POST /v2/users/new (CreateUser).' },
      concurrency: {
        'x-idflow': 'tuning',
        oneOf: [{ type: 'integer', minimum: 1 }, { const: 'adaptive' }],
        description: 'Requests in flight: a number, or "adaptive" (default) to raise it while latency holds and cut it on 429/503 or rising latency.',
      },
      maxConcurrency: { type: 'integer', minimum: 1, 'x-idflow': 'tuning', description: 'Upper bound of adaptive concurrency and size of the connection pool (default 64).' },
      rateLimit: {
        type: 'number',
        'x-idflow': 'tuning',
        minimum: 0,
        description:
          'Requests per second at most (default 40, under ZITADEL Cloud\'s 50/s). 0 = no cap: with adaptive concurrency the sink then finds the rate the target accepts (slow start, then AIMD on 429s).',
      },
      requestTimeout: { anyOf: [{ type: 'string' }, { type: 'number' }], 'x-idflow': 'tuning', description: 'Time to wait for one answer before retrying (default "30s").' },
      retry: retrySchema,
    },
  },
  validate: (config: UsersSinkConfig) => checkTargetConfig(config, { requestTimeout: config.requestTimeout }),
  create: (config: UsersSinkConfig, ctx: PluginContext) => createUsersSink(config, ctx),
});
