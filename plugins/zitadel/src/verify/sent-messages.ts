// The messages ZITADEL sends (or would send, once SMTP / SMS is set up) to migrated users, read
// from the instance's events (Admin API ListEvents, `POST /admin/v1/events/_search`): an init code
// (`user.human.initialization.code.added`, internal/repository/user/human.go) is an init e-mail, an
// e-mail code (`user.human.email.code.added`) a verification e-mail, a phone code
// (`user.human.phone.code.added`) an SMS — unless the code was returned to the caller instead
// (`code_returned` in the payload, the JSON name of `CodeReturned` in internal/repository/user/
// human_email.go and human_phone.go, set for the v2 API's `returnCode`), which sends nothing.
import { describeErrorBody } from '../http/error-body.js';
import type { ZitadelHttp } from '../http/zitadel-http.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';

/** Messages per kind, counted over the migrated users only. */
export interface SentMessages {
  initEmails: number;
  verificationEmails: number;
  verificationSms: number;
}

const kinds: { [eventType: string]: keyof SentMessages } = {
  'user.human.initialization.code.added': 'initEmails',
  'user.human.email.code.added': 'verificationEmails',
  'user.human.phone.code.added': 'verificationSms',
};

interface EventsPage {
  events?: { aggregate?: { id?: string }; sequence?: string; payload?: { code_returned?: boolean }; type?: { type?: string } }[];
}

const pageSize = 1000;

/** Counts the code events of `userIds` in `orgId`; a string saying why when the events cannot be read. */
export async function readSentMessages(
  http: ZitadelHttp,
  orgId: string,
  userIds: ReadonlySet<string>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<SentMessages | string> {
  const sent: SentMessages = { initEmails: 0, verificationEmails: 0, verificationSms: 0 };
  let after: string | undefined;
  for (;;) {
    const body = { limit: pageSize, asc: true, eventTypes: Object.keys(kinds), aggregateTypes: ['user'], resourceOwner: orgId, ...(after ? { sequence: after } : {}) };
    const result = await retryWithBackoff(
      policy,
      async (): Promise<AttemptResult<{ status: number; body: unknown }>> => {
        try {
          const answer = await http.post('/admin/v1/events/_search', body, { timeoutMs: 60_000, signal, answerForbidden: true });
          return retryForAnswer(answer) ?? { kind: 'done', value: answer };
        } catch (error) {
          return retryForError(error);
        }
      },
      { signal },
    );
    if (result.kind === 'exhausted') return `events not readable: ${result.reason}`;
    const { status, body: page } = result.value;
    if (status !== 200) return `events not readable (${describeErrorBody(status, page)}; needs events.read, IAM_OWNER has it)`;
    const events = (page as EventsPage | undefined)?.events ?? [];
    for (const event of events) {
      const kind = kinds[event.type?.type ?? ''];
      if (kind && userIds.has(event.aggregate?.id ?? '') && event.payload?.code_returned !== true) sent[kind] += 1;
    }
    if (events.length < pageSize) return sent;
    after = events[events.length - 1].sequence;
  }
}
