// Delivering one user through the User Service v2: the create call, retried while its fate is
// unknown; a conflict resolved by reading the user back (present when this id holds this user);
// then, for a user blocked in Auth0, the lock (or deactivation), which is part of delivering it —
// a user is reported delivered only once its state is applied, also when it was already present
// (a run that crashed between the two calls). Until then it stays undelivered (retryable): a
// blocked user left ACTIVE fails the run, it is never just a warning.
import { FatalError, type PluginContext, type SinkOutcome } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { readRefusal } from '../answers/zitadel-refusal.js';
import type { VerifierWatch } from '../answers/verifier-watch.js';
import { describeErrorBody } from '../http/error-body.js';
import type { HttpAnswer } from '../http/zitadel-http.js';
import { countLanding } from '../onboarding/count-landing.js';
import { type Onboarding, v2Landing } from '../onboarding/onboarding.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';
import { type UsersApi, buildUserRequest, createdUserId, usersApiPath } from './build-user-request.js';
import type { PacedCaller } from './paced-caller.js';

export interface V2DeliveryOptions {
  api: UsersApi;
  orgId: string;
  onboarding: Onboarding;
  policy: RetryPolicy;
  signal: AbortSignal;
}

/** What the create step came to, with the user's state when it was read back. */
interface Created {
  outcome: SinkOutcome;
  state?: string;
}

/** v2 state calls (`LockUser`, `DeactivateUser`, proto/zitadel/user/v2/user_service.proto). */
const blockActions: Partial<Record<ZitadelUserRecord['state'], 'lock' | 'deactivate'>> = {
  USER_STATE_LOCKED: 'lock',
  USER_STATE_INACTIVE: 'deactivate',
};

/** States in which the user cannot log in: a blocked Auth0 user in one of them is done. */
const blockedStates = new Set(['USER_STATE_LOCKED', 'USER_STATE_INACTIVE']);

const done = <T>(value: T): AttemptResult<T> => ({ kind: 'done', value });

/** Creates users through v2 and applies their blocked state; one instance per sink. */
export class V2UserDelivery {
  constructor(
    private readonly caller: PacedCaller,
    private readonly ctx: PluginContext,
    private readonly options: V2DeliveryOptions,
    private readonly watch: VerifierWatch,
  ) {}

  /** Creates `record` (or finds it present) and applies its state; the outcome for the runner. */
  async deliver(record: ZitadelUserRecord): Promise<SinkOutcome> {
    const { api, orgId, onboarding, policy, signal } = this.options;
    const body = buildUserRequest(api, record, orgId, onboarding);
    const result = await retryWithBackoff(
      policy,
      async (): Promise<AttemptResult<Created>> => {
        try {
          return await this.readCreateAnswer(record, await this.caller.post(usersApiPath[api], body));
        } catch (error) {
          return retryForError(error);
        }
      },
      { signal, onRetry: () => this.ctx.count('retries') },
    );
    if (result.kind === 'exhausted') return { status: 'retryable', reason: result.reason };
    const { outcome, state } = result.value;
    if (outcome.status !== 'written' && outcome.status !== 'present') return outcome;
    this.watch.accept(record.user.hashedPassword?.value);
    const unapplied = await this.applyBlockedState(record, outcome.status === 'written' ? 'USER_STATE_ACTIVE' : state);
    if (unapplied) return unapplied;
    if (outcome.status === 'written') countLanding(this.ctx, record, v2Landing(record, onboarding));
    return outcome;
  }

  /** Reads a present user's state and locks or deactivates it when Auth0 had it blocked; an outcome when that fails. */
  async reconcileBlockedState(record: ZitadelUserRecord): Promise<SinkOutcome | undefined> {
    if (!blockActions[record.state]) return undefined;
    const read = await retryWithBackoff(this.options.policy, () => this.caller.listUsers([record.userId]), { signal: this.options.signal });
    if (read.kind === 'exhausted') return { status: 'retryable', reason: `blocked in Auth0, but its state in ZITADEL could not be read: ${read.reason}` };
    return this.applyBlockedState(record, read.value.get(record.userId)?.state);
  }

  /** Reads the answer to a create call: only an answer naming the user proves the write. */
  private async readCreateAnswer(record: ZitadelUserRecord, answer: HttpAnswer): Promise<AttemptResult<Created>> {
    const { api } = this.options;
    if (answer.status === 200 || answer.status === 201) {
      // AddHumanUser answers 200 with `userId` (CreateUser: `id`); an answer without it (a proxy,
      // a stub) proves nothing. Sent again, a landed call comes back AlreadyExisting and is read back.
      if (createdUserId(api, answer.body) !== undefined) return done({ outcome: { status: 'written' } });
      this.ctx.count('unprovenAnswers');
      return { kind: 'retry', reason: `ZITADEL answered HTTP ${answer.status} to ${usersApiPath[api]} without the user's id: the write is not proven` };
    }
    const retry = retryForAnswer(answer);
    if (retry) return retry;
    const zitadel = describeErrorBody(answer.status, answer.body);
    const refusal = readRefusal(answer.body, zitadel);
    if (answer.status === 409 || refusal.kind === 'user-exists' || refusal.kind === 'username-taken') return this.resolveConflict(record, zitadel);
    if (answer.status === 400) {
      this.watch.refuse(record.user.hashedPassword?.value, refusal.kind);
      return done({ outcome: { status: 'rejected', reason: refusal.reason, detail: { zitadel } } });
    }
    throw new FatalError(`ZITADEL answered HTTP ${answer.status} to ${usersApiPath[api]}: ${zitadel}`, 'TARGET_UNEXPECTED');
  }

  /** A conflict: present when this id holds this user (with its state), else the name or id is taken. */
  private async resolveConflict(record: ZitadelUserRecord, zitadel: string): Promise<AttemptResult<Created>> {
    const lookup = await this.caller.listUsers([record.userId]);
    if (lookup.kind === 'retry') return lookup;
    const user = lookup.value.get(record.userId);
    if (user && user.username.toLowerCase() === record.user.userName.toLowerCase()) return done({ outcome: { status: 'present' }, state: user.state });
    if (user) return done({ outcome: { status: 'rejected', reason: `user id already used in ZITADEL by userName ${user.username}`, detail: { zitadel } } });
    return done({ outcome: { status: 'rejected', reason: 'userName already taken in ZITADEL', detail: { zitadel } } });
  }

  /** Locks or deactivates a blocked user unless `state` shows it done; an outcome when it cannot be applied. */
  private async applyBlockedState(record: ZitadelUserRecord, state: string | undefined): Promise<SinkOutcome | undefined> {
    let action = blockActions[record.state];
    if (!action || (state && blockedStates.has(state))) return undefined;
    // `DeactivateUserV2` refuses an INITIAL user (Errors.User.CantDeactivateInitial, internal/command/
    // user_v2.go); `LockUserV2` takes ACTIVE and INITIAL users. Locked keeps it from logging in too.
    if (action === 'deactivate' && state === 'USER_STATE_INITIAL') action = 'lock';
    const path = `/v2/users/${encodeURIComponent(record.userId)}/${action}`;
    const result = await retryWithBackoff(
      this.options.policy,
      async (): Promise<AttemptResult<true | string>> => {
        try {
          const answer = await this.caller.post(path, {});
          if (answer.status === 200) return done(true);
          const retry = retryForAnswer(answer);
          if (retry) return retry;
          // Already locked or inactive (an earlier call that landed): read the state back.
          const current = await this.caller.listUsers([record.userId]);
          if (current.kind === 'retry') return current;
          const now = current.value.get(record.userId)?.state;
          if (now && blockedStates.has(now)) return done(true);
          return done(`${describeErrorBody(answer.status, answer.body)} (state ${now ?? 'unknown'})`);
        } catch (error) {
          return retryForError(error);
        }
      },
      { signal: this.options.signal, onRetry: () => this.ctx.count('retries') },
    );
    if (result.kind === 'done' && result.value === true) {
      this.ctx.count(action === 'lock' ? 'locked' : 'deactivated');
      return undefined;
    }
    const why = result.kind === 'done' ? result.value : result.reason;
    this.ctx.count('blockedStateNotApplied');
    return { status: 'retryable', reason: `blocked in Auth0 but not ${action === 'lock' ? 'locked' : 'deactivated'} in ZITADEL (it can still log in): ${why}` };
  }
}
