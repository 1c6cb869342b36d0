// `POST /v2/users` with `inUserIdsQuery`: which of these ids exist, and as whom.
import { FatalError } from '@idflow/engine';
import type { ListUsersRequest, ListUsersResponse, V2User } from '@idflow/zitadel-model';
import { describeErrorBody } from './error-body.js';
import type { ZitadelHttp } from './zitadel-http.js';

/** Users among `userIds` that exist, by id. Throws TransientError on network failures, FatalError on refusals. */
export async function listUsersByIds(http: ZitadelHttp, userIds: string[], signal?: AbortSignal): Promise<Map<string, V2User>> {
  const body: ListUsersRequest = { query: { offset: 0, limit: userIds.length }, queries: [{ inUserIdsQuery: { userIds } }] };
  const answer = await http.post('/v2/users', body, { timeoutMs: 60_000, signal });
  if (answer.status !== 200) {
    const error = new FatalError(`ZITADEL ListUsers answered HTTP ${answer.status}: ${describeErrorBody(answer.status, answer.body)}`, 'TARGET_UNEXPECTED');
    (error as FatalError & { status?: number }).status = answer.status;
    throw error;
  }
  const found = new Map<string, V2User>();
  for (const user of (answer.body as ListUsersResponse | undefined)?.result ?? []) found.set(user.userId, user);
  return found;
}
