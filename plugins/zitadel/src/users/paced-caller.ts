// Per-user v2 calls, paced by a token bucket (`rateLimit`) and bounded by a fixed or adaptive
// (AIMD) concurrency limit; latency and back-pressure feed both controllers. Shared by the
// `zitadel-users` sink and the users the `zitadel-import` sink sends through the v2 API.
import type { PluginContext } from '@idflow/engine';
import type { V2User } from '@idflow/zitadel-model';
import { tryListUsersByIds } from '../http/list-users.js';
import type { HttpAnswer, ZitadelHttp } from '../http/zitadel-http.js';
import type { AttemptResult } from '../retry/retry-policy.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { AdaptiveRate } from './adaptive-rate.js';

export interface PacingOptions {
  /** Requests in flight: a number, or `adaptive`. */
  concurrency: number | 'adaptive';
  /** Upper bound of adaptive concurrency. */
  maxConcurrency: number;
  /** Requests per second at most; 0 = no cap. */
  rateLimit: number;
  /** Time to wait for one answer. */
  timeoutMs: number;
}

/** One paced, bounded door for v2 calls. */
export class PacedCaller {
  readonly concurrency: AdaptiveConcurrency;
  readonly pacing: AdaptiveRate;

  constructor(
    private readonly http: ZitadelHttp,
    private readonly ctx: PluginContext,
    private readonly options: PacingOptions,
    private readonly signal: AbortSignal,
  ) {
    this.concurrency = new AdaptiveConcurrency({ mode: options.concurrency, max: options.maxConcurrency });
    this.pacing = new AdaptiveRate(options.rateLimit, this.concurrency.adaptive);
  }

  /** One POST; resets and timeouts throw (TransientError) and are not pace signals. */
  post(path: string, body: unknown, options: { answerForbidden?: boolean } = {}): Promise<HttpAnswer> {
    return this.paced((timing) => this.http.post(path, body, { ...timing, ...options }));
  }

  /** One PATCH (UpdateUser), paced like `post`. */
  patch(path: string, body: unknown): Promise<HttpAnswer> {
    return this.paced((timing) => this.http.patch(path, body, timing));
  }

  private paced(send: (timing: { timeoutMs: number; signal: AbortSignal }) => Promise<HttpAnswer>): Promise<HttpAnswer> {
    return this.concurrency.run(async () => {
      await this.pacing.take(this.signal);
      this.ctx.count('requests');
      const answer = await send({ timeoutMs: this.options.timeoutMs, signal: this.signal });
      if (answer.status === 429) this.ctx.count('http429');
      this.pacing.record(answer.status === 429);
      this.concurrency.observe({ latencyMs: answer.elapsedMs, backpressure: answer.status === 429 || answer.status === 503 });
      return answer;
    });
  }

  /** One ListUsers call for these ids (a retry for 429/5xx/network failures). */
  listUsers(userIds: string[]): Promise<AttemptResult<Map<string, V2User>>> {
    return this.concurrency.run(async () => {
      await this.pacing.take(this.signal);
      this.ctx.count('requests');
      return tryListUsersByIds(this.http, userIds, this.signal);
    });
  }

  /** Counters for the report when the sink closes. */
  report(): void {
    this.ctx.count('concurrencyRaises', this.concurrency.raises);
    this.ctx.count('concurrencyCuts', this.concurrency.cuts);
  }
}
