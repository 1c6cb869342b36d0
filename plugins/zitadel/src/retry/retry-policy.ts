// How long a sink keeps trying a call whose fate is unknown (5xx, timeout, reset) or that was
// throttled (429): exponential backoff with full jitter, bounded by attempts and elapsed time.

/** Retry budget of one call, from the sink's `retry:` option. */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  /** Stop retrying once this many ms passed since the first attempt. */
  maxElapsedMs: number;
  /** Delay before the first retry; doubles each time. */
  initialDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 8,
  maxElapsedMs: 120_000,
  initialDelayMs: 250,
  maxDelayMs: 15_000,
};

/** The `retry:` block of both HTTP sinks' schemas. */
export const retrySchema = {
  type: 'object',
  'x-idflow': 'tuning',
  description: 'Retries of calls that failed with 429, 5xx, a timeout or a reset connection.',
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, description: 'Attempts per call in total, the first included (default 8).' },
    maxElapsed: {
      anyOf: [{ type: 'string' }, { type: 'number' }],
      description: 'Give up retrying after this long since the first attempt: ms, or a duration like "2m", "90s" (default "2m").',
    },
    initialDelay: { anyOf: [{ type: 'string' }, { type: 'number' }], description: 'First backoff delay, doubled each retry (default "250ms").' },
    maxDelay: { anyOf: [{ type: 'string' }, { type: 'number' }], description: 'Longest single backoff delay (default "15s").' },
  },
} as const;

/** The `retry:` option as written in a pipeline. */
export interface RetryConfig {
  attempts?: number;
  maxElapsed?: string | number;
  initialDelay?: string | number;
  maxDelay?: string | number;
}

/** Parses `250ms`, `5s`, `2m`, `1h`, `5m0s` or a bare number of ms. */
export function parseDurationMs(value: string | number): number {
  if (typeof value === 'number') return value;
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value.trim()) {
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    throw new Error(`invalid duration "${value}" (use e.g. "500ms", "30s", "5m0s")`);
  }
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((total, p) => total + Number(p[1]) * unit[p[2]], 0);
}

/** Formats ms as a Go duration string (`5m0s`), the form ZITADEL's `timeout` field wants. */
export function formatGoDuration(ms: number): string {
  const totalSeconds = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Builds the policy from the pipeline's `retry:` block. */
export function resolveRetryPolicy(config: RetryConfig | undefined): RetryPolicy {
  return {
    attempts: config?.attempts ?? defaultRetryPolicy.attempts,
    maxElapsedMs: config?.maxElapsed !== undefined ? parseDurationMs(config.maxElapsed) : defaultRetryPolicy.maxElapsedMs,
    initialDelayMs: config?.initialDelay !== undefined ? parseDurationMs(config.initialDelay) : defaultRetryPolicy.initialDelayMs,
    maxDelayMs: config?.maxDelay !== undefined ? parseDurationMs(config.maxDelay) : defaultRetryPolicy.maxDelayMs,
  };
}

/** Full-jitter exponential backoff for retry number `retry` (1 = first retry). */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `Retry-After` as ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What one attempt of a call came to. */
export type AttemptResult<T> =
  | { kind: 'done'; value: T }
  /** Try again after backoff (or after `retryAfterMs` when the server said so). */
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

/** The end of a retried call: a value, or the budget spent with the last reason. */
export type RetriedResult<T> = { kind: 'done'; value: T; attempts: number } | { kind: 'exhausted'; reason: string; attempts: number };

/** Sleeps `ms`, waking early (resolving) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `attempt` until it is done or the budget is spent. A `Retry-After` longer than the time
 * left ends the call (exhausted) rather than overshooting the budget.
 */
export async function retryWithBackoff<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
  options: { signal?: AbortSignal; onRetry?: (reason: string, delayMs: number) => void } = {},
): Promise<RetriedResult<T>> {
  const started = Date.now();
  let lastReason = 'not attempted';
  for (let n = 1; n <= policy.attempts; n++) {
    const result = await attempt(n);
    if (result.kind === 'done') return { kind: 'done', value: result.value, attempts: n };
    lastReason = result.reason;
    if (n === policy.attempts || options.signal?.aborted) break;
    const delay = result.retryAfterMs ?? backoffDelayMs(policy, n);
    if (Date.now() - started + delay > policy.maxElapsedMs) break;
    options.onRetry?.(result.reason, delay);
    await sleep(delay, options.signal);
  }
  return { kind: 'exhausted', reason: lastReason, attempts: policy.attempts };
}
