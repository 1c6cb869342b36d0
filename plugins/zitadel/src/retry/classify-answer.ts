// Which HTTP answers leave a call's fate unknown or ask us to slow down: both mean "try again".
import { describeErrorBody } from '../http/error-body.js';
import type { HttpAnswer } from '../http/zitadel-http.js';
import { TransientError } from '../http/transient-error.js';
import { type AttemptResult, parseRetryAfterMs } from './retry-policy.js';

/** A retry for 429 (honouring Retry-After) and 5xx; undefined for answers the caller must read. */
export function retryForAnswer(answer: HttpAnswer): AttemptResult<never> | undefined {
  if (answer.status === 429) {
    return { kind: 'retry', reason: 'HTTP 429 rate limited', retryAfterMs: parseRetryAfterMs(answer.headers['retry-after']) };
  }
  if (answer.status >= 500) {
    return { kind: 'retry', reason: `HTTP ${answer.status} ${describeErrorBody(answer.status, answer.body)}` };
  }
  return undefined;
}

/** A retry for a TransientError; anything else (FatalError, bugs) is rethrown. */
export function retryForError(error: unknown): AttemptResult<never> {
  if (error instanceof TransientError) return { kind: 'retry', reason: error.message };
  throw error;
}
