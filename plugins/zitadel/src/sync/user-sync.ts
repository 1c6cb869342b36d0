// Brings users that already exist in ZITADEL up to date (`onExisting: update`), and — with
// `diffPath` set (`idflow diff`) — says what it would change without writing: the SAME reads and
// the SAME comparison, only the writes are skipped, so the prediction cannot drift from the sync.
//
// Per batch: one ListUsers per 1000 ids (`inUserIdsQuery`); per existing user, a metadata read
// only when the record (or an earlier sync) has metadata, an IdP-link read only when the record
// has links. An unchanged user costs its share of the ListUsers call and nothing else.
//
// Writes, fewest calls the API allows: one UpdateUser for profile, e-mail, phone, password and
// metadata (set and remove), one AddIDPLink per missing link, one state call. The user is
// delivered only once its state is applied (issue 13: a blocked user left active is a failure).
//
// Order for resume (kill -9 anywhere): the hash is written to the ledger as `pending` before
// UpdateUser and confirmed after its 200; every other part is compared again on the next run, so
// what landed is not sent again. A pending hash is settled by ZITADEL's latest password event
// (last-password-event.ts); only without `events.read` is it sent a second time.
import type { PluginContext, SinkOutcome } from '@idflow/engine';
import type { V2User, ZitadelUserRecord } from '@idflow/zitadel-model';
import { describeErrorBody } from '../http/error-body.js';
import { TransientError } from '../http/transient-error.js';
import type { HttpAnswer } from '../http/zitadel-http.js';
import type { Onboarding } from '../onboarding/onboarding.js';
import { retryForAnswer, retryForError } from '../retry/classify-answer.js';
import { type AttemptResult, type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';
import type { PacedCaller } from '../users/paced-caller.js';
import type { DiffLine } from './diff-writer.js';
import { holdsHash } from './last-password-event.js';
import { PAGE_SIZE, readIdpLinks, readMetadata } from './read-user-parts.js';
import type { PasswordKnowledge, SyncLedger } from './sync-ledger.js';
import { type CurrentUser, type StateAction, type UpdateUserBody, type UserChanges, compareUser } from './user-changes.js';

export interface UserSyncOptions {
  onboarding: Onboarding;
  policy: RetryPolicy;
  signal: AbortSignal;
  /** `idflow diff`: compare and describe, write nothing. */
  preview: boolean;
}

/** The state each call leads to (for reading back a call that answered "already there"). */
const STATE_AFTER: Record<StateAction, string[]> = {
  lock: ['USER_STATE_LOCKED'],
  deactivate: ['USER_STATE_INACTIVE'],
  unlock: ['USER_STATE_ACTIVE'],
  reactivate: ['USER_STATE_ACTIVE', 'USER_STATE_INITIAL'],
};

/** A user's outcome, and under `idflow diff` its line. */
export interface Synced {
  outcome: SinkOutcome;
  line?: DiffLine;
}

type Failure = { status: 'rejected' | 'retryable'; reason: string; detail?: { [key: string]: unknown } };

const done = <T>(value: T): AttemptResult<T> => ({ kind: 'done', value });

export class UserSync {
  constructor(
    private readonly caller: PacedCaller,
    private readonly ctx: PluginContext,
    private readonly ledger: SyncLedger,
    private readonly options: UserSyncOptions,
  ) {}

  get previewing(): boolean {
    return this.options.preview;
  }

  /** Retries `attempt` within the sink's budget, counting retries. */
  private retried<T>(attempt: () => Promise<AttemptResult<T>>) {
    return retryWithBackoff(this.options.policy, attempt, { signal: this.options.signal, onRetry: () => this.ctx.count('retries') });
  }

  /** The users among `userIds` that exist, in ListUsers calls of up to 1000 ids; undefined (with why) when the target stays unavailable. */
  async readExisting(userIds: string[]): Promise<{ found: Map<string, V2User> } | { unavailable: string }> {
    const found = new Map<string, V2User>();
    for (let start = 0; start < userIds.length; start += PAGE_SIZE) {
      const chunk = userIds.slice(start, start + PAGE_SIZE);
      const result = await this.retried(() => this.caller.listUsers(chunk));
      if (result.kind === 'exhausted') return { unavailable: `existing users could not be read: ${result.reason}` };
      for (const [id, user] of result.value) found.set(id, user);
    }
    this.ctx.count('sync.usersRead', userIds.length);
    return { found };
  }

  /** After a create the target confirmed: what was sent is now known (the ledger). */
  created(record: ZitadelUserRecord): void {
    if (this.previewing) return;
    const hash = record.user.hashedPassword?.value;
    if (hash) this.ledger.passwordConfirmed(record.userId, hash);
    if (record.metadata.length > 0) this.ledger.metadataConfirmed(record.userId, record.metadata.map((e) => e.key));
  }

  /** Before a create that sends a hash: a crash before the answer leaves it pending, not unknown. */
  creating(record: ZitadelUserRecord): void {
    const hash = record.user.hashedPassword?.value;
    if (hash && !this.previewing) this.ledger.passwordSending(record.userId, hash);
  }

  /** `idflow diff` for a user that does not exist: it would be created. */
  wouldCreate(record: ZitadelUserRecord): Synced {
    return { outcome: { status: 'written' }, line: { id: record.userId, userName: record.user.userName, action: 'create' } };
  }

  /** Compares an existing user with its record and sends what differs (or, in a preview, only describes it). */
  async syncExisting(record: ZitadelUserRecord, user: V2User): Promise<Synced> {
    const current = await this.readCurrent(record, user);
    if ('status' in current) return { outcome: current };
    const password = await this.passwordKnowledge(record);
    if (typeof password === 'object') return { outcome: password };
    const changes = compareUser(record, current, { onboarding: this.options.onboarding, password, managedKeys: this.ledger.metadataKeys(record.userId) });
    if (changes.passwordUnknown) this.ctx.count('sync.passwordUnknownSet');
    const outcome: SinkOutcome = changes.parts.length ? { status: 'updated', changes: changes.parts } : { status: 'unchanged' };
    if (this.previewing) {
      const line: DiffLine = { id: record.userId, userName: record.user.userName, action: changes.parts.length ? 'update' : 'unchanged' };
      return { outcome, line: changes.parts.length ? { ...line, changes: changes.described } : line };
    }
    if (changes.parts.length === 0) return { outcome };
    const failure = await this.apply(record, changes);
    if (failure) return { outcome: failure };
    for (const part of changes.parts) this.ctx.count(`sync.updated.${part}`);
    return { outcome };
  }

  /** ListUsers' view plus the metadata and links the comparison needs. */
  private async readCurrent(record: ZitadelUserRecord, user: V2User): Promise<CurrentUser | Failure> {
    const current: CurrentUser = { user };
    if (record.metadata.length > 0 || this.ledger.metadataKeys(record.userId).length > 0) {
      const metadata = await this.retried(() => readMetadata(this.caller, record.userId));
      if (metadata.kind === 'exhausted') return { status: 'retryable', reason: `metadata could not be read: ${metadata.reason}` };
      current.metadata = metadata.value;
    }
    if (record.user.idps?.length) {
      const links = await this.retried(() => readIdpLinks(this.caller, record.userId));
      if (links.kind === 'exhausted') return { status: 'retryable', reason: `IdP links could not be read: ${links.reason}` };
      current.idpLinks = links.value;
    }
    return current;
  }

  /** What the ledger knows of the record's hash; a pending one is settled by ZITADEL's events. */
  private async passwordKnowledge(record: ZitadelUserRecord): Promise<PasswordKnowledge | undefined | Failure> {
    const hash = record.user.hashedPassword?.value;
    if (!hash) return undefined;
    const known = this.ledger.passwordKnowledge(record.userId, hash);
    if (known !== 'pending') return known;
    const settled = await this.retried(() => holdsHash(this.caller, record.userId, hash));
    if (settled.kind === 'exhausted') return { status: 'retryable', reason: `the password sent before a crash could not be checked: ${settled.reason}` };
    if (settled.value === true) {
      this.ctx.count('sync.pendingPasswordConfirmed');
      if (!this.previewing) this.ledger.passwordConfirmed(record.userId, hash);
      return 'same';
    }
    return settled.value === false ? 'different' : 'pending';
  }

  /** UpdateUser, then missing links, then the state call; a failure outcome or undefined. */
  private async apply(record: ZitadelUserRecord, changes: UserChanges): Promise<Failure | undefined> {
    const id = encodeURIComponent(record.userId);
    if (changes.update) {
      if (changes.sentHash) this.ledger.passwordSending(record.userId, changes.sentHash);
      const failure = await this.call(this.updateUserSender(record.userId, changes.update, changes.sentHash), 'UpdateUser');
      if (failure) return failure;
      if (changes.sentHash) this.ledger.passwordConfirmed(record.userId, changes.sentHash);
      if (changes.parts.includes('metadata') || record.metadata.length > 0) this.ledger.metadataConfirmed(record.userId, changes.metadataKeys);
    }
    for (const link of changes.addLinks) {
      // A link that landed before a crash answers AlreadyExists (V3-DKcYh): it is there.
      const failure = await this.call(() => this.caller.post(`/v2/users/${id}/links`, { idpLink: link }), 'AddIDPLink', 409);
      if (failure) return failure;
    }
    if (changes.stateAction) return this.applyState(record.userId, record.state, changes.stateAction);
    return undefined;
  }

  /**
   * Sends UpdateUser; a re-send (the answer to the last one was lost: a reset, a timeout) first asks
   * ZITADEL's event log whether the hash landed, and then leaves the password out — setting the
   * same hash again would write a second `user.human.password.changed`. The other parts are equal
   * by then and write nothing. Without `events.read` the hash is sent again.
   */
  private updateUserSender(userId: string, update: UpdateUserBody, sentHash: string | undefined): () => Promise<HttpAnswer> {
    let body = update;
    let sends = 0;
    return async () => {
      sends += 1;
      if (sends > 1 && sentHash && body.human?.password) {
        const held = await holdsHash(this.caller, userId, sentHash);
        if (held.kind === 'retry') throw new TransientError(`checking whether the password landed: ${held.reason}`);
        if (held.value === true) {
          this.ctx.count('sync.resentPasswordLanded');
          const { password: _landed, ...human } = body.human;
          body = { ...body, human };
          // Nothing else to send: the call that landed did it all (an empty UpdateUser is no call at all).
          if (Object.keys(human).length === 0 && !body.metadata?.length) return { status: 200, headers: {}, body: {}, elapsedMs: 0 };
        }
      }
      return this.caller.patch(`/v2/users/${encodeURIComponent(userId)}`, body);
    };
  }

  /** One write, retried while its fate is unknown; 200 (or `alsoFine`) is success, 4xx a refusal of this user. */
  private async call(send: () => Promise<HttpAnswer>, what: string, alsoFine?: number): Promise<Failure | undefined> {
    const result = await this.retried(async (): Promise<AttemptResult<Failure | undefined>> => {
      try {
        const answer = await send();
        if (answer.status === 200 || answer.status === alsoFine) return done(undefined);
        const retry = retryForAnswer(answer);
        if (retry) return retry;
        const zitadel = describeErrorBody(answer.status, answer.body);
        return done({ status: 'rejected', reason: `ZITADEL refused ${what}: ${zitadel}`, detail: { zitadel } });
      } catch (error) {
        return retryForError(error);
      }
    });
    return result.kind === 'exhausted' ? { status: 'retryable', reason: `${what} not confirmed: ${result.reason}` } : result.value;
  }

  /** A state call (`wanted` names the goal in messages); an answer other than 200 is read back (a call that landed before a crash). */
  async applyState(userId: string, wanted: string, action: StateAction): Promise<Failure | undefined> {
    const result = await this.retried(async (): Promise<AttemptResult<true | string>> => {
      try {
        const answer = await this.caller.post(`/v2/users/${encodeURIComponent(userId)}/${action}`, {});
        if (answer.status === 200) return done(true);
        const retry = retryForAnswer(answer);
        if (retry) return retry;
        const now = await this.caller.listUsers([userId]);
        if (now.kind === 'retry') return now;
        const state = now.value.get(userId)?.state;
        return done(state && STATE_AFTER[action].includes(state) ? true : `${describeErrorBody(answer.status, answer.body)} (state ${state ?? 'unknown'})`);
      } catch (error) {
        return retryForError(error);
      }
    });
    if (result.kind === 'done' && result.value === true) {
      this.ctx.count(`sync.state.${action}`);
      return undefined;
    }
    const why = result.kind === 'done' ? result.value : result.reason;
    const blocking = action === 'lock' || action === 'deactivate';
    if (blocking) this.ctx.count('blockedStateNotApplied');
    // Blocked in Auth0 but still able to log in: never final (issue 13); an unblock that fails is retried the same way.
    return { status: 'retryable', reason: `${wanted} not applied in ZITADEL (${action} failed${blocking ? ', the user can still log in' : ''}): ${why}` };
  }
}
