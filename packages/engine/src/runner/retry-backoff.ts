// How long to wait before re-sending records a sink answered `retryable` for, and when to give up.

import type { RetryPolicy } from '../plugin.js';

export const DEFAULT_RETRY: Required<RetryPolicy> = { attempts: 6, maxElapsedMs: 30_000, initialDelayMs: 250 };
const MAX_DELAY_MS = 8_000;

/** The sink's policy over the defaults. */
export function retryPolicyOf(override: RetryPolicy | undefined): Required<RetryPolicy> {
  return { ...DEFAULT_RETRY, ...override };
}

/**
 * Delay before try number `attempt + 1` (attempt ≥ 1): exponential, capped, with "equal jitter"
 * (half fixed, half random) so concurrent batches hitting a busy target do not retry in lockstep.
 */
export function backoffDelay(attempt: number, policy: Required<RetryPolicy>): number {
  const exponential = Math.min(MAX_DELAY_MS, policy.initialDelayMs * 2 ** (attempt - 1));
  return exponential / 2 + Math.random() * (exponential / 2);
}

/** Resolves after `ms`, or early (false) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
