// Real password checks: ZITADEL's Session API verifies the imported hash against the password.
import type { CreateSessionRequest } from '@idflow/zitadel-model';
import { describeErrorBody } from '../http/error-body.js';
import type { HttpAnswer, ZitadelHttp } from '../http/zitadel-http.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';
import type { LoginCheck } from './read-logins.js';

/** A login that did not succeed, with why (never the password). */
export interface LoginFailure {
  email: string;
  reason: string;
}

/** Tries each login through `POST /v2/sessions`; `userIdOf` maps an email to its migrated user id. */
export async function checkLogins(
  http: ZitadelHttp,
  logins: LoginCheck[],
  userIdOf: (email: string) => string | undefined,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<LoginFailure[]> {
  const failures: LoginFailure[] = [];
  for (const login of logins) {
    const userId = userIdOf(login.email.toLowerCase());
    if (!userId) {
      failures.push({ email: login.email, reason: 'not among the users this run delivered (see the dead-letter output)' });
      continue;
    }
    const body: CreateSessionRequest = {
      checks: { user: { userId }, password: { password: login.password } },
    };
    const result = await retryWithBackoff(
      policy,
      async (): Promise<AttemptResult<HttpAnswer>> => {
        try {
          const answer = await http.post('/v2/sessions', body, { timeoutMs: 30_000, signal });
          return retryForAnswer(answer) ?? { kind: 'done', value: answer };
        } catch (error) {
          return retryForError(error);
        }
      },
      { signal },
    );
    if (result.kind === 'exhausted') failures.push({ email: login.email, reason: `login not checked: ${result.reason}` });
    else if (result.value.status !== 200 && result.value.status !== 201) {
      failures.push({ email: login.email, reason: `login refused: ${describeErrorBody(result.value.status, result.value.body)}` });
    }
  }
  return failures;
}
