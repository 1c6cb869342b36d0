// `zitadel-users`: one User Service v2 call per user, paced by a token bucket (`rateLimit`) and
// bounded by a fixed or adaptive (AIMD) concurrency limit over a keep-alive pool. A user whose
// id already exists (a re-run, or a retried call that did land) counts as present; a blocked
// user counts as delivered only once it is locked (deliver-v2-user.ts). With `onExisting: update`
// existing users are brought up to date instead (sync/sync-mode.ts), and `idflow diff` previews it.
import {
  type PluginContext,
  type PreflightPlan,
  type RecordEnvelope,
  type Sink,
  type SinkFinishInfo,
  type SinkOutcome,
  definePlugin,
} from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { VerifierWatch } from '../answers/verifier-watch.js';
import type { AuthConfig } from '../auth/auth-config.js';
import { authSchema } from '../auth/auth-config.js';
import { checkTargetConfig } from '../http/check-target-config.js';
import { sinkSignal } from '../http/sink-signal.js';
import { zitadelSinkTarget } from '../http/sink-target.js';
import { ZitadelHttp } from '../http/zitadel-http.js';
import { type Onboarding, onboardingSchema } from '../onboarding/onboarding.js';
import { idpLinksOfPlan } from '../preflight/idp-links-of-plan.js';
import { preflightTarget } from '../preflight/preflight-target.js';
import { type RetryConfig, parseDurationMs, resolveRetryPolicy, retrySchema } from '../retry/retry-policy.js';
import { type SyncConfig, SyncMode, syncSchema } from '../sync/sync-mode.js';
import type { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { AdaptiveRate } from './adaptive-rate.js';
import type { UsersApi } from './build-user-request.js';
import { V2UserDelivery } from './deliver-v2-user.js';
import { PacedCaller } from './paced-caller.js';

/** `with:` of the `zitadel-users` sink. */
export interface UsersSinkConfig extends SyncConfig {
  url: string;
  orgId: string;
  auth: AuthConfig;
  allowInsecure?: boolean;
  api?: UsersApi;
  onboarding?: Onboarding;
  concurrency?: number | 'adaptive';
  maxConcurrency?: number;
  rateLimit?: number;
  requestTimeout?: string | number;
  retry?: RetryConfig;
}

/** Opens the per-user sink. Exported for tests and the benchmark. */
export function createUsersSink(
  config: UsersSinkConfig,
  ctx: PluginContext,
): Sink<ZitadelUserRecord> & { concurrency: AdaptiveConcurrency; pacing: AdaptiveRate } {
  const api = config.api ?? 'human';
  const onboarding = config.onboarding ?? 'silent';
  const maxConcurrency = config.maxConcurrency ?? 64;
  const policy = resolveRetryPolicy(config.retry);
  const signal = sinkSignal(ctx.signal);
  const mode = config.concurrency ?? 'adaptive';
  const http = new ZitadelHttp({
    url: config.url,
    auth: config.auth,
    allowInsecure: config.allowInsecure,
    baseDir: ctx.baseDir,
    connections: mode === 'adaptive' ? maxConcurrency : mode,
  });
  const caller = new PacedCaller(http, ctx, { concurrency: mode, maxConcurrency, rateLimit: config.rateLimit ?? 40, timeoutMs: parseDurationMs(config.requestTimeout ?? '30s') }, signal);
  const delivery = new V2UserDelivery(caller, ctx, { api, orgId: config.orgId, onboarding, policy, signal }, new VerifierWatch(http.baseUrl.origin));
  const target = zitadelSinkTarget('zitadel-users', http.baseUrl, config.orgId);
  const syncMode = new SyncMode(config, ctx, caller, target, { orgId: config.orgId, onboarding, policy, signal });
  const create = (records: ZitadelUserRecord[]) => Promise.all(records.map((record) => delivery.deliver(record)));
  ctx.log('info', 'zitadel-users sink ready', { url: http.baseUrl.origin, auth: http.authKind, api, onboarding, concurrency: mode, rateLimit: caller.pacing.rate });

  return syncMode.attachCheckpointState<Sink<ZitadelUserRecord> & { concurrency: AdaptiveConcurrency; pacing: AdaptiveRate }>({
    concurrency: caller.concurrency,
    pacing: caller.pacing,
    // The sink spends the `retry:` budget itself; past it, the runner dead-letters at once.
    retry: { attempts: 1 },
    batching: { maxRecords: 256, lingerMs: 50 },
    target: () => target,
    async preflight(plan: PreflightPlan): Promise<void> {
      await preflightTarget(
        http,
        { sink: 'zitadel-users', orgId: config.orgId, permission: 'user.write', role: 'ORG_USER_MANAGER (or IAM_OWNER)', idpLinks: idpLinksOfPlan(plan), idpCreationRequired: false },
        ctx,
        signal,
      );
    },
    async open(state: unknown): Promise<void> {
      syncMode.open(state);
    },
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      return syncMode.deliver(batch.map((envelope) => envelope.data), create);
    },
    finish: (info: SinkFinishInfo) => syncMode.finish(info),
    async close() {
      syncMode.close();
      caller.report();
      ctx.log('info', 'zitadel-users sink closed', { concurrencyLimit: caller.concurrency.limit, raises: caller.concurrency.raises, cuts: caller.concurrency.cuts });
      await http.close();
    },
  });
}

/** The `zitadel-users` plugin. */
export const usersSink = definePlugin({
  name: 'zitadel-users',
  kind: 'sink',
  previewsChanges: true,
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
      onboarding: onboardingSchema,
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
      ...syncSchema,
    },
  },
  validate: (config: UsersSinkConfig) => checkTargetConfig(config, { requestTimeout: config.requestTimeout }),
  create: (config: UsersSinkConfig, ctx: PluginContext) => createUsersSink(config, ctx),
});
