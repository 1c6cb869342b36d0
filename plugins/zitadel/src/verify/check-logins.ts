// Real password checks: ZITADEL's Session API verifies the imported hash against the password.
import type { CreateSessionRequest } from '@idflow/zitadel-model';
import { describeErrorBody } from '../http/error-body.js';
import type { ZitadelHttp } from '../http/zitadel-http.js';
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
  signal?: AbortSignal,
): Promise<LoginFailure[]> {
  const failures: LoginFailure[] = [];
  for (const login of logins) {
    const userId = userIdOf(login.email.toLowerCase());
    const body: CreateSessionRequest = {
      checks: { user: userId ? { userId } : { loginName: login.email }, password: { password: login.password } },
    };
    try {
      const answer = await http.post('/v2/sessions', body, { timeoutMs: 30_000, signal });
      if (answer.status !== 200 && answer.status !== 201) {
        failures.push({ email: login.email, reason: `login refused: ${describeErrorBody(answer.status, answer.body)}` });
      }
    } catch (error) {
      failures.push({ email: login.email, reason: `login not checked: ${(error as Error).message}` });
    }
  }
  return failures;
}
