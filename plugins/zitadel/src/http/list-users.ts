// `POST /v2/users` with `inUserIdsQuery`: which of these ids exist, and as whom.
import { FatalError } from '@idflow/engine';
import type { ListUsersRequest, ListUsersResponse, V2User } from '@idflow/zitadel-model';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';
import { describeErrorBody } from './error-body.js';
import type { HttpAnswer, ZitadelHttp } from './zitadel-http.js';

/** One ListUsers call: the users found by id, or a retry for 429/5xx/network failures. */
export async function tryListUsersByIds(http: ZitadelHttp, userIds: string[], signal?: AbortSignal): Promise<AttemptResult<Map<string, V2User>>> {
  const body: ListUsersRequest = { query: { offset: 0, limit: userIds.length }, queries: [{ inUserIdsQuery: { userIds } }] };
  let answer: HttpAnswer;
  try {
    answer = await http.post('/v2/users', body, { timeoutMs: 60_000, signal });
  } catch (error) {
    return retryForError(error);
  }
  const retry = retryForAnswer(answer);
  if (retry) return retry;
  if (answer.status !== 200) {
    throw new FatalError(`ZITADEL ListUsers answered HTTP ${answer.status}: ${describeErrorBody(answer.status, answer.body)}`, 'TARGET_UNEXPECTED');
  }
  const found = new Map<string, V2User>();
  for (const user of (answer.body as ListUsersResponse | undefined)?.result ?? []) found.set(user.userId, user);
  return { kind: 'done', value: found };
}

/** The users among `userIds` that exist, by id, retried within `policy`; FatalError when the target stays unavailable. */
export async function listUsersByIds(http: ZitadelHttp, userIds: string[], policy: RetryPolicy, signal?: AbortSignal): Promise<Map<string, V2User>> {
  const result = await retryWithBackoff(policy, () => tryListUsersByIds(http, userIds, signal), { signal });
  if (result.kind === 'exhausted') throw new FatalError(`ZITADEL ListUsers failed ${result.attempts} times; last: ${result.reason}`, 'TARGET_UNAVAILABLE');
  return result.value;
}
