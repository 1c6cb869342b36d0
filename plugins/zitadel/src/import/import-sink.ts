// `zitadel-import`: Admin API bulk import (`POST /admin/v1/import`), batches of up to
// `batchSize` users. Per-user errors in the answer become per-user outcomes; a refused request
// is bisected; unknown fates are retried (ids are preserved, so a re-sent user comes back
// `AlreadyExisting` → present). Users the import would make INITIAL, send a code or whose password
// change it would ignore go through the User Service v2 instead, in the same batch and checkpoint
// (onboarding/onboarding.ts says which and why). With `onExisting: update`, users that already
// exist are brought up to date through v2 calls instead of being imported (sync/sync-mode.ts).
import {
  FatalError,
  type PluginContext,
  type PreflightPlan,
  type RecordEnvelope,
  type Sink,
  type SinkFinishInfo,
  type SinkOutcome,
  definePlugin,
  metricNames,
} from '@idflow/engine';
import type { ImportDataResponse, ZitadelUserRecord } from '@idflow/zitadel-model';
import { VerifierWatch } from '../answers/verifier-watch.js';
import { isRequestTooLarge } from '../answers/zitadel-refusal.js';
import type { AuthConfig } from '../auth/auth-config.js';
import { authSchema } from '../auth/auth-config.js';
import { checkTargetConfig } from '../http/check-target-config.js';
import { describeErrorBody } from '../http/error-body.js';
import { checkOrgName } from '../http/org-name-rule.js';
import { sinkSignal } from '../http/sink-signal.js';
import { zitadelSinkTarget } from '../http/sink-target.js';
import { TransientError } from '../http/transient-error.js';
import { ZitadelHttp } from '../http/zitadel-http.js';
import { countLanding } from '../onboarding/count-landing.js';
import { type Onboarding, importLanding, onboardingSchema, v2RouteReason } from '../onboarding/onboarding.js';
import { idpLinksOfPlan } from '../preflight/idp-links-of-plan.js';
import { preflightTarget } from '../preflight/preflight-target.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import {
  type AttemptResult,
  type RetryConfig,
  backoffDelayMs,
  formatGoDuration,
  parseDurationMs,
  resolveRetryPolicy,
  retrySchema,
  retryWithBackoff,
  sleep,
} from '../retry/retry-policy.js';
import { type SyncConfig, SyncMode, syncSchema } from '../sync/sync-mode.js';
import { V2UserDelivery } from '../users/deliver-v2-user.js';
import { PacedCaller } from '../users/paced-caller.js';
import { BatchSizeTuner } from './batch-size-tuner.js';
import { type PartAnswer, bisectRejectedBatch } from './bisect-rejected-batch.js';
import { buildImportRequest } from './build-import-request.js';
import { UNPROVEN, readImportResponse } from './read-import-response.js';
import { splitIntoChunks } from './split-into-chunks.js';

/** `with:` of the `zitadel-import` sink. */
export interface ImportSinkConfig extends SyncConfig {
  url: string;
  orgId: string;
  orgName?: string;
  auth: AuthConfig;
  allowInsecure?: boolean;
  batchSize?: number;
  maxRequestBytes?: number;
  timeout?: string;
  onboarding?: Onboarding;
  v2?: { concurrency?: number | 'adaptive'; rateLimit?: number };
  retry?: RetryConfig;
}

const importPath = '/admin/v1/import';
const routeMetric = metricNames('via v2: ');

/** Opens the bulk import sink. Exported for tests and the benchmark. */
export function createImportSink(config: ImportSinkConfig, ctx: PluginContext): Sink<ZitadelUserRecord> {
  const batchSize = config.batchSize ?? 1000;
  let maxRequestBytes = config.maxRequestBytes ?? 3_500_000;
  const timeoutMs = parseDurationMs(config.timeout ?? '5m0s');
  const timeout = formatGoDuration(timeoutMs);
  const onboarding = config.onboarding ?? 'silent';
  const policy = resolveRetryPolicy(config.retry);
  const signal = sinkSignal(ctx.signal);
  // The server gives up at `timeout`; wait a little longer so that its own answer wins.
  const answerWaitMs = timeoutMs + Math.min(30_000, timeoutMs / 2);
  const tuner = new BatchSizeTuner(batchSize, timeoutMs);
  const http = new ZitadelHttp({ url: config.url, auth: config.auth, allowInsecure: config.allowInsecure, baseDir: ctx.baseDir, connections: 4 + 16 });
  const org = { orgId: config.orgId, orgName: config.orgName };
  const sizeOf = (r: ZitadelUserRecord) => JSON.stringify(r).length;
  const watch = new VerifierWatch(http.baseUrl.origin);
  const caller = new PacedCaller(
    http,
    ctx,
    { concurrency: config.v2?.concurrency ?? 'adaptive', maxConcurrency: 16, rateLimit: config.v2?.rateLimit ?? 40, timeoutMs: 30_000 },
    signal,
  );
  const v2 = new V2UserDelivery(caller, ctx, { api: 'human', orgId: config.orgId, onboarding, policy, signal }, watch);
  const target = zitadelSinkTarget('zitadel-import', http.baseUrl, config.orgId);
  const syncMode = new SyncMode(config, ctx, caller, target, { orgId: config.orgId, onboarding, policy, signal });
  ctx.log('info', 'zitadel-import sink ready', { url: http.baseUrl.origin, auth: http.authKind, batchSize, timeout, onboarding });

  type SendAnswer = PartAnswer | { kind: 'unavailable'; reason: string } | { kind: 'split' } | { kind: 'too-large' };

  /** One request, retried while its fate is unknown; a whole-request 400 comes back as `refused`. */
  async function sendPart(records: ZitadelUserRecord[]): Promise<SendAnswer> {
    const body = buildImportRequest(records, org, timeout);
    // A timed-out request is re-sent in smaller parts once the tuner's size is below it.
    const timedOut = (): AttemptResult<{ kind: 'split' }> | undefined => {
      tuner.shrink();
      ctx.count('timeouts');
      return records.length > tuner.current ? { kind: 'done', value: { kind: 'split' } } : undefined;
    };
    const result = await retryWithBackoff<Exclude<SendAnswer, { kind: 'unavailable' }>>(
      policy,
      async (): Promise<AttemptResult<Exclude<SendAnswer, { kind: 'unavailable' }>>> => {
        ctx.count('requests');
        let answer: Awaited<ReturnType<ZitadelHttp['post']>>;
        try {
          answer = await http.post(importPath, body, { timeoutMs: answerWaitMs, signal });
        } catch (error) {
          if (error instanceof TransientError && error.message === 'request timed out') return timedOut() ?? retryForError(error);
          return retryForError(error);
        }
        // gRPC's 4 MiB receive limit answers ResourceExhausted, which the gateway maps to 429: not
        // a rate limit to wait on, the request must get smaller (issue 17 §5).
        if (isRequestTooLarge(answer.status, answer.body)) return { kind: 'done', value: { kind: 'too-large' } };
        const retry = retryForAnswer(answer);
        if (retry) {
          if (answer.status === 429) ctx.count('http429');
          const described = describeErrorBody(answer.status, answer.body);
          if (answer.status >= 500 && /deadline/i.test(described)) return timedOut() ?? retry;
          // `timeout` that Go cannot parse answers 500 code 2 (`time.ParseDuration`), every time.
          if (answer.status >= 500 && /invalid duration|time: /i.test(described)) {
            throw new FatalError(`ZITADEL refused the import timeout "${timeout}": ${described}; set sink.with.timeout to a Go duration such as "5m0s"`, 'TARGET_UNEXPECTED');
          }
          return retry;
        }
        if (answer.status === 200) {
          tuner.observe(answer.elapsedMs, records.length);
          const reading = readImportResponse(records, (answer.body ?? {}) as ImportDataResponse, config.orgId);
          if (reading.orgSkipped) {
            throw new FatalError(
              `ZITADEL skipped organization ${config.orgId} and every user of it: ${reading.orgSkipped}. Check sink.with.orgId${config.orgName ? '' : ', or set sink.with.orgName to have the import create it'}`,
              'ORG_NOT_FOUND',
            );
          }
          for (const [i, refusal] of reading.refusals.entries()) if (refusal) watch.refuse(records[i].user.hashedPassword?.value, refusal.kind);
          for (const failure of reading.metadataFailures) {
            ctx.count('metadataFailures');
            ctx.warn(`metadata "${failure.key}" of ${failure.userId} not imported: ${failure.message}`);
          }
          return { kind: 'done', value: { kind: 'outcomes', outcomes: reading.outcomes } };
        }
        if (answer.status === 400) return { kind: 'done', value: { kind: 'refused', message: describeErrorBody(400, answer.body) } };
        // 404 and the like: a wrong URL or an API this server lacks; no user is at fault.
        throw new FatalError(`ZITADEL answered HTTP ${answer.status} to ${importPath}: ${describeErrorBody(answer.status, answer.body)}`, 'TARGET_UNEXPECTED');
      },
      { signal, onRetry: () => ctx.count('retries') },
    );
    if (result.kind === 'exhausted') return { kind: 'unavailable', reason: result.reason };
    return result.value;
  }

  /** Sends one chunk, bisecting refusals; an unavailable target leaves the users retryable. */
  async function importChunk(records: ZitadelUserRecord[]): Promise<SinkOutcome[]> {
    let unavailable: string | undefined;
    return bisectRejectedBatch(
      records,
      async (part) => {
        if (unavailable) return { kind: 'outcomes', outcomes: part.map(() => ({ status: 'retryable', reason: unavailable as string })) };
        const answer = await sendPart(part);
        if (answer.kind === 'split') return { kind: 'outcomes', outcomes: await importChunks(part) };
        if (answer.kind === 'too-large') return { kind: 'outcomes', outcomes: await splitTooLarge(part) };
        if (answer.kind !== 'unavailable') return answer;
        unavailable = answer.reason;
        ctx.count('undeliverableRequests');
        return { kind: 'outcomes', outcomes: part.map(() => ({ status: 'retryable', reason: answer.reason })) };
      },
      (size) => {
        ctx.count('bisections');
        ctx.log('debug', 'import refused as a whole: bisecting', { users: size });
      },
    );
  }

  /** A request over ZITADEL's message limit: the byte budget halves and the part is sent in halves. */
  async function splitTooLarge(part: ZitadelUserRecord[]): Promise<SinkOutcome[]> {
    ctx.count('requestsTooLarge');
    if (part.length === 1) {
      return [{ status: 'rejected', reason: "ZITADEL refused the user: its import request alone is larger than ZITADEL's gRPC message limit (4 MiB by default); shrink its metadata" }];
    }
    const bytes = part.reduce((sum, r) => sum + sizeOf(r), 0);
    maxRequestBytes = Math.max(1000, Math.min(maxRequestBytes, Math.floor(bytes / 2)));
    ctx.log('info', 'import request too large for ZITADEL: smaller requests from now on', { maxRequestBytes });
    const middle = Math.ceil(part.length / 2);
    return [...(await importChunks(part.slice(0, middle))), ...(await importChunks(part.slice(middle)))];
  }

  /** Imports `records` in requests within the current size limits. */
  async function importChunks(records: ZitadelUserRecord[]): Promise<SinkOutcome[]> {
    const outcomes: SinkOutcome[] = [];
    for (const chunk of splitIntoChunks(records, tuner.current, maxRequestBytes, sizeOf)) outcomes.push(...(await importChunk(chunk)));
    return outcomes;
  }

  /**
   * `importChunks`, then the users a 200 did not list as imported or refused are sent again, within
   * the retry budget (a landed one comes back present); past it they stay retryable: never written.
   */
  async function importRecords(records: ZitadelUserRecord[]): Promise<SinkOutcome[]> {
    const outcomes = await importChunks(records);
    for (let round = 1; ; round++) {
      const unproven = outcomes.flatMap((o, i) => (o.status === 'retryable' && o.reason === UNPROVEN ? [i] : []));
      if (unproven.length === 0) break;
      ctx.count('unprovenAnswers', unproven.length);
      if (round >= policy.attempts || signal.aborted) break;
      ctx.count('retries');
      await sleep(backoffDelayMs(policy, round), signal);
      const again = await importChunks(unproven.map((i) => records[i]));
      for (const [k, index] of unproven.entries()) outcomes[index] = again[k];
    }
    return outcomes;
  }

  /** Counts a written import user; a present blocked one gets its state checked (v2 lock when needed). */
  async function settleImported(record: ZitadelUserRecord, outcome: SinkOutcome): Promise<SinkOutcome> {
    if (outcome.status === 'written') {
      watch.accept(record.user.hashedPassword?.value);
      countLanding(ctx, record, importLanding(record));
      return outcome;
    }
    // The import sets the state in the same push that creates the user (`ImportHuman`,
    // internal/command/user_human.go), so a written user has it; a present one is read back.
    if (outcome.status === 'present' && record.state !== 'USER_STATE_ACTIVE') return (await v2.reconcileBlockedState(record)) ?? outcome;
    return outcome;
  }

  /** Creates users: through the bulk import, or v2 for those the import would onboard wrongly. */
  async function createRecords(records: ZitadelUserRecord[]): Promise<SinkOutcome[]> {
    const viaImport: number[] = [];
    const viaV2: number[] = [];
    for (const [i, record] of records.entries()) {
      const reason = v2RouteReason(record, onboarding);
      if (reason === undefined) viaImport.push(i);
      else {
        viaV2.push(i);
        ctx.count(routeMetric(reason));
      }
    }
    const outcomes = new Array<SinkOutcome>(records.length);
    const imported = async () => {
      const part = viaImport.map((i) => records[i]);
      const answers = await importRecords(part);
      const settled = await Promise.all(answers.map((outcome, k) => settleImported(part[k], outcome)));
      for (const [k, index] of viaImport.entries()) outcomes[index] = settled[k];
    };
    const created = async () => {
      const answers = await Promise.all(viaV2.map((i) => v2.deliver(records[i])));
      for (const [k, index] of viaV2.entries()) outcomes[index] = answers[k];
    };
    await Promise.all([imported(), created()]);
    return outcomes;
  }

  return syncMode.attachCheckpointState<Sink<ZitadelUserRecord>>({
    // The sink spends the `retry:` budget itself; past it, the runner dead-letters at once.
    retry: { attempts: 1 },
    batching: { maxRecords: batchSize, maxBytes: maxRequestBytes, sizeOf: (d) => sizeOf(d as ZitadelUserRecord), lingerMs: 200 },
    target: () => target,
    async preflight(plan: PreflightPlan): Promise<void> {
      await preflightTarget(
        http,
        { sink: 'zitadel-import', orgId: config.orgId, orgName: config.orgName, permission: 'iam.write', role: 'IAM_OWNER', idpLinks: idpLinksOfPlan(plan), idpCreationRequired: true },
        ctx,
        signal,
      );
    },
    async open(state: unknown): Promise<void> {
      syncMode.open(state);
    },
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      return syncMode.deliver(batch.map((envelope) => envelope.data), createRecords);
    },
    finish: (info: SinkFinishInfo) => syncMode.finish(info),
    async close() {
      syncMode.close();
      caller.report();
      await http.close();
    },
  });
}

/** The `zitadel-import` plugin. */
export const importSink = definePlugin({
  name: 'zitadel-import',
  kind: 'sink',
  previewsChanges: true,
  description: 'Bulk-imports users into ZITADEL through the Admin API (POST /admin/v1/import), batch by batch.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'orgId', 'auth'],
    properties: {
      url: { type: 'string', 'x-idflow': 'target', description: 'ZITADEL base URL, e.g. https://my-instance.zitadel.cloud (HTTPS unless loopback or allowInsecure).' },
      orgId: { type: 'string', 'x-idflow': 'target', description: 'Organization the users are imported into.' },
      orgName: { type: 'string', minLength: 1, maxLength: 200, description: 'Create the organization with this name when it does not exist (optional; 1–200 runes, ZITADEL\'s limit).' },
      auth: authSchema,
      allowInsecure: { type: 'boolean', description: 'Allow plain http:// to a non-loopback host (credentials travel in clear).' },
      batchSize: { type: 'integer', minimum: 1, maximum: 20000, 'x-idflow': 'tuning', description: 'Most users per import request (default 1000; ZITADEL advises about 5000 per 5-minute timeout).' },
      maxRequestBytes: { type: 'integer', minimum: 1000, 'x-idflow': 'tuning', description: 'Most bytes of user data per request (default 3500000, under gRPC\'s 4 MB message limit).' },
      timeout: { type: 'string', 'x-idflow': 'tuning', description: 'The import `timeout` sent to ZITADEL, a Go duration (default "5m0s"); batches shrink when answers approach it.' },
      onboarding: onboardingSchema,
      v2: {
        type: 'object',
        additionalProperties: false,
        'x-idflow': 'tuning',
        description:
          'Pacing of the users sent through the User Service v2 (AddHumanUser) instead of the bulk import: with `onboarding: silent` those the import would make INITIAL or send a code, and always those whose password change the import would ignore. Needs `user.write` (IAM_OWNER has it).',
        properties: {
          concurrency: { oneOf: [{ type: 'integer', minimum: 1 }, { const: 'adaptive' }], description: 'Calls in flight: a number, or "adaptive" (default, at most 16).' },
          rateLimit: { type: 'number', minimum: 0, description: "Calls per second at most (default 40, under ZITADEL Cloud's 50/s); 0 = no cap." },
        },
      },
      retry: retrySchema,
      ...syncSchema,
    },
  },
  validate: (config: ImportSinkConfig) => [...checkTargetConfig(config, { timeout: config.timeout }), ...checkOrgName(config.orgName)],
  create: (config: ImportSinkConfig, ctx: PluginContext) => createImportSink(config, ctx),
});
