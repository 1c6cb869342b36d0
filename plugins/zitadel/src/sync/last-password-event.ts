// Settles a hash the ledger left `pending` (the process died between sending a password and
// recording the answer): ZITADEL's latest password event of the user says which hash it holds.
// Admin API ListEvents (`POST /admin/v1/events/_search`, proto/zitadel/admin.proto
// ListEventsRequest: aggregate_types, aggregate_id, event_types, asc, limit); the payloads carry
// `encodedHash` (HumanAddedEvent, HumanPasswordChangedEvent in internal/repository/user/). It needs
// `events.read` (IAM_OWNER): without it the answer is "unknown" and the hash is sent again — the one
// case where a change can be applied twice (one extra `user.human.password.changed`).
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import type { AttemptResult } from '../retry/retry-policy.js';
import type { PacedCaller } from '../users/paced-caller.js';

/** The events that set a human's password hash, newest wins. */
const PASSWORD_EVENTS = ['user.human.added', 'user.human.registered', 'user.human.password.changed'];

interface ListEventsAnswer {
  events?: { payload?: { encodedHash?: unknown } }[];
}

/** Whether ZITADEL's latest password event of `userId` set `hash`: true, false, or undefined when it cannot tell. */
export async function holdsHash(caller: PacedCaller, userId: string, hash: string): Promise<AttemptResult<boolean | undefined>> {
  try {
    const answer = await caller.post(
      '/admin/v1/events/_search',
      { aggregateTypes: ['user'], aggregateId: userId, eventTypes: PASSWORD_EVENTS, asc: false, limit: 1 },
      { answerForbidden: true },
    );
    const retry = retryForAnswer(answer);
    if (retry) return retry;
    if (answer.status !== 200) return { kind: 'done', value: undefined };
    const latest = (answer.body as ListEventsAnswer | undefined)?.events?.[0]?.payload?.encodedHash;
    return { kind: 'done', value: typeof latest === 'string' ? latest === hash : undefined };
  } catch (error) {
    return retryForError(error);
  }
}
