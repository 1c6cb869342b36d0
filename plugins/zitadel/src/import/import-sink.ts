// `zitadel-import`: Admin API bulk import (`POST /admin/v1/import`), batches of up to
// `batchSize` users. Per-user errors in the answer become per-user outcomes; a refused request
// is bisected; unknown fates are retried (ids are preserved, so a re-sent user comes back
// `AlreadyExisting` → present).
import { FatalError, type PluginContext, type RecordEnvelope, type Sink, type SinkOutcome, definePlugin } from '@idflow/engine';
import type { ImportDataResponse, ZitadelUserRecord } from '@idflow/zitadel-model';
import type { AuthConfig } from '../auth/auth-config.js';
import { authSchema } from '../auth/auth-config.js';
import { checkTargetConfig } from '../http/check-target-config.js';
import { describeErrorBody } from '../http/error-body.js';
import { TransientError } from '../http/transient-error.js';
import { sinkSignal } from '../http/sink-signal.js';
import { zitadelSinkTarget } from '../http/sink-target.js';
import { ZitadelHttp } from '../http/zitadel-http.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import {
  type AttemptResult,
  type RetryConfig,
  formatGoDuration,
  parseDurationMs,
  resolveRetryPolicy,
  retrySchema,
  retryWithBackoff,
} from '../retry/retry-policy.js';
import { BatchSizeTuner } from './batch-size-tuner.js';
import { type PartAnswer, bisectRejectedBatch } from './bisect-rejected-batch.js';
import { buildImportRequest } from './build-import-request.js';
import { readImportResponse } from './read-import-response.js';
import { splitIntoChunks } from './split-into-chunks.js';

/** `with:` of the `zitadel-import` sink. */
export interface ImportSinkConfig {
  url: string;
  orgId: string;
  orgName?: string;
  auth: AuthConfig;
  allowInsecure?: boolean;
  batchSize?: number;
  maxRequestBytes?: number;
  timeout?: string;
  retry?: RetryConfig;
}

const importPath = '/admin/v1/import';

/** Opens the bulk import sink. Exported for tests and the benchmark. */
export function createImportSink(config: ImportSinkConfig, ctx: PluginContext): Sink<ZitadelUserRecord> {
  const batchSize = config.batchSize ?? 1000;
  const maxRequestBytes = config.maxRequestBytes ?? 3_500_000;
  const timeoutMs = parseDurationMs(config.timeout ?? '5m0s');
  const timeout = formatGoDuration(timeoutMs);
  const policy = resolveRetryPolicy(config.retry);
  const signal = sinkSignal(ctx.signal);
  // The server gives up at `timeout`; wait a little longer so that its own answer wins.
  const answerWaitMs = timeoutMs + Math.min(30_000, timeoutMs / 2);
  const tuner = new BatchSizeTuner(batchSize, timeoutMs);
  const http = new ZitadelHttp({ url: config.url, auth: config.auth, allowInsecure: config.allowInsecure, baseDir: ctx.baseDir, connections: 4 });
  const org = { orgId: config.orgId, orgName: config.orgName };
  const sizeOf = (r: ZitadelUserRecord) => JSON.stringify(r).length;
  ctx.log('info', 'zitadel-import sink ready', { url: http.baseUrl.origin, auth: http.authKind, batchSize, timeout });

  /** One request, retried while its fate is unknown; a whole-request 400 comes back as `refused`. */
  async function sendPart(records: ZitadelUserRecord[]): Promise<PartAnswer | { kind: 'unavailable'; reason: string } | { kind: 'split' }> {
    const body = buildImportRequest(records, org, timeout);
    // A timed-out request is re-sent in smaller parts once the tuner's size is below it.
    const timedOut = (): AttemptResult<{ kind: 'split' }> | undefined => {
      tuner.shrink();
      ctx.count('timeouts');
      return records.length > tuner.current ? { kind: 'done', value: { kind: 'split' } } : undefined;
    };
    const result = await retryWithBackoff<PartAnswer | { kind: 'split' }>(
      policy,
      async (): Promise<AttemptResult<PartAnswer | { kind: 'split' }>> => {
        ctx.count('requests');
        let answer: Awaited<ReturnType<ZitadelHttp['post']>>;
        try {
          answer = await http.post(importPath, body, { timeoutMs: answerWaitMs, signal });
        } catch (error) {
          if (error instanceof TransientError && error.message === 'request timed out') return timedOut() ?? retryForError(error);
          return retryForError(error);
        }
        const retry = retryForAnswer(answer);
        if (retry) {
          if (answer.status === 429) ctx.count('http429');
          if (answer.status >= 500 && /deadline/i.test(describeErrorBody(answer.status, answer.body))) return timedOut() ?? retry;
          return retry;
        }
        if (answer.status === 200) {
          tuner.observe(answer.elapsedMs, records.length);
          const reading = readImportResponse(records, (answer.body ?? {}) as ImportDataResponse);
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
    const outcomes = await bisectRejectedBatch(
      records,
      async (part) => {
        if (unavailable) return { kind: 'outcomes', outcomes: part.map(() => ({ status: 'retryable', reason: unavailable as string })) };
        const answer = await sendPart(part);
        if (answer.kind === 'split') {
          const outcomes: SinkOutcome[] = [];
          for (const smaller of splitIntoChunks(part, tuner.current, maxRequestBytes, sizeOf)) outcomes.push(...(await importChunk(smaller)));
          return { kind: 'outcomes', outcomes };
        }
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
    return outcomes;
  }

  return {
    // The sink spends the `retry:` budget itself; past it, the runner dead-letters at once.
    retry: { attempts: 1 },
    batching: { maxRecords: batchSize, maxBytes: maxRequestBytes, sizeOf: (d) => sizeOf(d as ZitadelUserRecord), lingerMs: 200 },
    target: () => zitadelSinkTarget('zitadel-import', http.baseUrl, config.orgId),
    async write(batch: RecordEnvelope<ZitadelUserRecord>[]): Promise<SinkOutcome[]> {
      const records = batch.map((e) => e.data);
      const outcomes: SinkOutcome[] = [];
      for (const chunk of splitIntoChunks(records, tuner.current, maxRequestBytes, sizeOf)) {
        outcomes.push(...(await importChunk(chunk)));
      }
      return outcomes;
    },
    async close() {
      await http.close();
    },
  };
}

/** The `zitadel-import` plugin. */
export const importSink = definePlugin({
  name: 'zitadel-import',
  kind: 'sink',
  description: 'Bulk-imports users into ZITADEL through the Admin API (POST /admin/v1/import), batch by batch.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'orgId', 'auth'],
    properties: {
      url: { type: 'string', 'x-idflow': 'target', description: 'ZITADEL base URL, e.g. https://my-instance.zitadel.cloud (HTTPS unless loopback or allowInsecure).' },
      orgId: { type: 'string', 'x-idflow': 'target', description: 'Organization the users are imported into.' },
      orgName: { type: 'string', description: 'Create the organization with this name when it does not exist (optional).' },
      auth: authSchema,
      allowInsecure: { type: 'boolean', description: 'Allow plain http:// to a non-loopback host (credentials travel in clear).' },
      batchSize: { type: 'integer', minimum: 1, maximum: 20000, 'x-idflow': 'tuning', description: 'Most users per import request (default 1000; ZITADEL advises about 5000 per 5-minute timeout).' },
      maxRequestBytes: { type: 'integer', minimum: 1000, 'x-idflow': 'tuning', description: 'Most bytes of user data per request (default 3500000, under gRPC\'s 4 MB message limit).' },
      timeout: { type: 'string', 'x-idflow': 'tuning', description: 'The import `timeout` sent to ZITADEL, a Go duration (default "5m0s"); batches shrink when answers approach it.' },
      retry: retrySchema,
    },
  },
  validate: (config: ImportSinkConfig) => checkTargetConfig(config, { timeout: config.timeout }),
  create: (config: ImportSinkConfig, ctx: PluginContext) => createImportSink(config, ctx),
});
