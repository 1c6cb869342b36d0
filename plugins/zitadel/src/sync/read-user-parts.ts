// The reads a sync needs beyond ListUsers (which carries profile, e-mail, phone and state but
// neither metadata nor IdP links), one call per user and only for users whose record (or whose
// earlier sync) has such parts:
// - ListUserMetadata `POST /v2/users/{user_id}/metadata/search` (ZITADEL v4+, handler in
//   internal/api/grpc/user/v2/metadata.go; MaxQueryLimit 1000 per page)
// - ListIDPLinks `POST /v2/users/{user_id}/links/_search` (internal/api/grpc/user/v2/idp_link.go;
//   limit 0 = every link)
// And the org listing behind `onMissing`: ListUsers by organization, ordered by user id ascending
// (the default sorting column, internal/api/grpc/user/v2/user_query.go),
// in pages of 1000 (offset/limit; there is no id-prefix query in proto/zitadel/user/v2/query.proto).
import { FatalError } from '@idflow/engine';
import type { ListUsersResponse, V2User } from '@idflow/zitadel-model';
import { describeErrorBody } from '../http/error-body.js';
import type { HttpAnswer } from '../http/zitadel-http.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import type { AttemptResult } from '../retry/retry-policy.js';
import type { PacedCaller } from '../users/paced-caller.js';

export const PAGE_SIZE = 1000;

/** One paged call: the parsed body, a retry for 429/5xx/network, FatalError for what no retry fixes. */
async function readJson<T>(call: () => Promise<HttpAnswer>, what: string): Promise<AttemptResult<T>> {
  let answer: HttpAnswer;
  try {
    answer = await call();
  } catch (error) {
    return retryForError(error);
  }
  const retry = retryForAnswer(answer);
  if (retry) return retry;
  if (answer.status !== 200) throw new FatalError(`ZITADEL ${what} answered HTTP ${answer.status}: ${describeErrorBody(answer.status, answer.body)}`, 'TARGET_UNEXPECTED');
  return { kind: 'done', value: (answer.body ?? {}) as T };
}

interface MetadataPage {
  pagination?: { totalResult?: string };
  metadata?: { key: string; value?: string }[];
}

/** The user's metadata, value (base64) by key. */
export async function readMetadata(caller: PacedCaller, userId: string): Promise<AttemptResult<Map<string, string>>> {
  const found = new Map<string, string>();
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await readJson<MetadataPage>(
      () => caller.post(`/v2/users/${encodeURIComponent(userId)}/metadata/search`, { pagination: { offset, limit: PAGE_SIZE, asc: true } }),
      'ListUserMetadata',
    );
    if (page.kind !== 'done') return page;
    for (const entry of page.value.metadata ?? []) found.set(entry.key, entry.value ?? '');
    if ((page.value.metadata?.length ?? 0) < PAGE_SIZE) return { kind: 'done', value: found };
  }
}

interface LinksPage {
  result?: { idpId: string; userId: string }[];
}

/** The user's IdP links as `idpId|userId`. */
export async function readIdpLinks(caller: PacedCaller, userId: string): Promise<AttemptResult<Set<string>>> {
  const page = await readJson<LinksPage>(() => caller.post(`/v2/users/${encodeURIComponent(userId)}/links/_search`, { query: { offset: 0, limit: 0 } }), 'ListIDPLinks');
  if (page.kind !== 'done') return page;
  return { kind: 'done', value: new Set((page.value.result ?? []).map((link) => `${link.idpId}|${link.userId}`)) };
}

/** One page of the org's human users, by id ascending. */
export function readOrgUsersPage(caller: PacedCaller, orgId: string, offset: number): Promise<AttemptResult<V2User[]>> {
  const body = {
    query: { offset, limit: PAGE_SIZE, asc: true },
    queries: [{ organizationIdQuery: { organizationId: orgId } }, { typeQuery: { type: 'TYPE_HUMAN' } }],
  };
  return readJson<ListUsersResponse>(() => caller.post('/v2/users', body), 'ListUsers').then((page) =>
    page.kind === 'done' ? { kind: 'done', value: page.value.result ?? [] } : page,
  );
}
