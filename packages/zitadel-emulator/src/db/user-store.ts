// Orgs, human users, their metadata and sessions in SQLite. Each user is written in one
// transaction together with its events, so a user is never half-written.
import type { Statement } from 'better-sqlite3';
import { type HumanData, type IdpLink, type NewHumanUser, type StoredHumanUser, usernameKey } from '../users/human-user.js';
import { stateAfter, type UserEvent, UserEventType, type UserState } from '../users/user-events.js';
import { EventLog } from './event-log.js';
import type { EmulatorDatabase } from './open-database.js';
import { type UserListRequest, userListSql } from './user-list-query.js';

export type InsertUserResult =
  | { ok: true; sequence: number; createdAt: string; state: UserState }
  | { ok: false; conflict: 'id' | 'username' | 'idpLink' };

/** What changes on a user together with the events of a command. */
export interface UserUpdate {
  username?: string;
  human?: HumanData;
  passwordHash?: string;
  passwordChangeRequired?: boolean;
  metadataSet?: { key: string; value: Buffer }[];
  metadataRemoved?: string[];
  idpLinksAdded?: IdpLink[];
}

export type UpdateUserResult =
  | { ok: true; sequence: number; changedAt: string; state: UserState }
  | { ok: false; reason: 'user-not-found' | 'idpLink' | 'username' };

/** A metadata entry as stored, with when it was first set and last changed. */
export interface StoredMetadata {
  key: string;
  value: Buffer;
  createdAt: string;
  changedAt: string;
}

interface UserRow {
  id: string;
  org_id: string;
  username: string;
  state: string;
  password_hash: string | null;
  password_change_required: number;
  human_json: string;
  sequence: number;
  created_at: string;
  changed_at: string;
}

/**
 * The notifications ZITADEL's notifier would send (when SMTP / an SMS provider are set up),
 * counted from the events: internal/notification/handlers/user_notifier.go sends the init code
 * (reduceInitCodeAdded) and the e-mail / phone verification codes unless `code_returned`
 * (reduceEmailCodeAdded / reducePhoneCodeAdded). An import's passwordless init code is an
 * `…added` event, which it does not send (only `…requested` is registered).
 */
export interface NotificationCounts {
  /** "init e-mails that would be sent": one per init code (import of an INITIAL user). */
  initEmails: number;
  /** "verification e-mails that would be sent": e-mail codes not returned to the caller. */
  verificationEmails: number;
  /** Phone verification codes not returned to the caller (SMS, when a provider is set up). */
  verificationSms: number;
}

function toStoredUser(row: UserRow): StoredHumanUser {
  return {
    id: row.id,
    orgId: row.org_id,
    username: row.username,
    state: row.state as UserState,
    human: JSON.parse(row.human_json) as HumanData,
    passwordHash: row.password_hash ?? undefined,
    passwordChangeRequired: row.password_change_required === 1,
    sequence: row.sequence,
    createdAt: row.created_at,
    changedAt: row.changed_at,
  };
}

/** IdP links are unique per IdP and external id, case-insensitively (unique constraint `external_idps`). */
function externalIdKey(link: IdpLink): string {
  return link.userId.toLowerCase();
}

/** The users, metadata, orgs and sessions of one emulator instance. */
export class UserStore {
  readonly events: EventLog;
  private readonly statements;
  private readonly insertUserTransaction;
  private readonly updateUserTransaction;
  /** List statements by SQL text: a pager repeats the same shape, page after page. */
  private readonly listStatements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: EmulatorDatabase) {
    this.events = new EventLog(db);
    this.statements = {
      findOrg: db.prepare('SELECT id, name FROM orgs WHERE id = ?'),
      insertOrg: db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)'),
      listOrgIds: db.prepare('SELECT id FROM orgs ORDER BY rowid'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      userByUsername: db.prepare('SELECT * FROM users WHERE username_key = ?'),
      idExists: db.prepare('SELECT 1 FROM users WHERE id = ?'),
      usernameExists: db.prepare('SELECT 1 FROM users WHERE username_key = ?'),
      insertUser: db.prepare(
        `INSERT INTO users (id, org_id, username, username_key, email, state, password_hash, password_change_required,
           human_json, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateUser: db.prepare(
        `UPDATE users SET username = ?, username_key = ?, state = ?, email = ?, password_hash = ?, password_change_required = ?,
           human_json = ?, sequence = ?, changed_at = ? WHERE id = ?`,
      ),
      upsertOrgDomain: db.prepare(
        'INSERT INTO org_domains (domain_key, org_id) VALUES (?, ?) ON CONFLICT (domain_key) DO UPDATE SET org_id = excluded.org_id',
      ),
      orgOfDomain: db.prepare('SELECT org_id FROM org_domains WHERE domain_key = ?'),
      deleteMetadata: db.prepare('DELETE FROM user_metadata WHERE user_id = ? AND key = ?'),
      idpLinkTaken: db.prepare('SELECT 1 FROM user_idp_links WHERE idp_id = ? AND external_user_id_key = ?'),
      insertIdpLink: db.prepare('INSERT INTO user_idp_links (idp_id, external_user_id_key, user_id) VALUES (?, ?, ?)'),
      upsertMetadata: db.prepare(
        `INSERT INTO user_metadata (user_id, key, value, created_at, changed_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at`,
      ),
      insertSession: db.prepare('INSERT INTO sessions (id, token_hash, user_id, sequence, created_at) VALUES (?, ?, ?, ?, ?)'),
      countUsers: db.prepare('SELECT state, COUNT(*) AS n FROM users GROUP BY state'),
      countMetadata: db.prepare('SELECT COUNT(*) AS n FROM user_metadata'),
      countOrgs: db.prepare('SELECT COUNT(*) AS n FROM orgs'),
      countSessions: db.prepare('SELECT COUNT(*) AS n FROM sessions'),
      metadataOf: db.prepare(
        'SELECT key, value, created_at AS createdAt, changed_at AS changedAt FROM user_metadata WHERE user_id = ? ORDER BY key',
      ),
    };
    this.insertUserTransaction = db.transaction((user: NewHumanUser, editorUserId: string): InsertUserResult => {
      if (this.statements.idExists.get(user.id)) return { ok: false, conflict: 'id' };
      if (this.statements.usernameExists.get(usernameKey(user.username))) return { ok: false, conflict: 'username' };
      const links = user.human.idpLinks ?? [];
      if (links.some((link) => this.statements.idpLinkTaken.get(link.idpId, externalIdKey(link)))) return { ok: false, conflict: 'idpLink' };
      const now = new Date().toISOString();
      const sequence = this.appendEvents(user.id, user.orgId, editorUserId, user.events, now);
      for (const entry of user.metadata) this.statements.upsertMetadata.run(user.id, entry.key, entry.value, now, now);
      for (const link of links) this.statements.insertIdpLink.run(link.idpId, externalIdKey(link), user.id);
      const state = stateAfter(user.events);
      this.statements.insertUser.run(
        user.id,
        user.orgId,
        user.username,
        usernameKey(user.username),
        user.human.email.email,
        state,
        user.passwordHash ?? null,
        user.passwordChangeRequired ? 1 : 0,
        JSON.stringify(user.human),
        sequence,
        now,
        now,
      );
      return { ok: true, sequence, createdAt: now, state };
    });
    this.updateUserTransaction = db.transaction(
      (userId: string, editorUserId: string, events: readonly UserEvent[], update: UserUpdate): UpdateUserResult => {
        const user = this.findUserById(userId);
        if (!user) return { ok: false, reason: 'user-not-found' };
        if (events.length === 0) return { ok: true, sequence: user.sequence, changedAt: user.changedAt, state: user.state };
        const username = update.username ?? user.username;
        const key = usernameKey(username);
        if (key !== usernameKey(user.username) && this.statements.usernameExists.get(key)) return { ok: false, reason: 'username' };
        const added = update.idpLinksAdded ?? [];
        if (added.some((link) => this.statements.idpLinkTaken.get(link.idpId, externalIdKey(link)))) return { ok: false, reason: 'idpLink' };
        const now = new Date().toISOString();
        const sequence = this.appendEvents(userId, user.orgId, editorUserId, events, now);
        for (const entry of update.metadataSet ?? []) this.statements.upsertMetadata.run(userId, entry.key, entry.value, now, now);
        for (const metadataKey of update.metadataRemoved ?? []) this.statements.deleteMetadata.run(userId, metadataKey);
        for (const link of added) this.statements.insertIdpLink.run(link.idpId, externalIdKey(link), userId);
        const human = update.human ?? user.human;
        const state = stateAfter(events, user.state);
        this.statements.updateUser.run(
          username,
          key,
          state,
          human.email.email,
          update.passwordHash ?? user.passwordHash ?? null,
          (update.passwordChangeRequired ?? user.passwordChangeRequired) ? 1 : 0,
          JSON.stringify(human),
          sequence,
          now,
          userId,
        );
        return { ok: true, sequence, changedAt: now, state };
      },
    );
  }

  private appendEvents(userId: string, orgId: string, editorUserId: string, events: readonly UserEvent[], now: string): number {
    let sequence = 0;
    for (const event of events) {
      sequence = this.events.append(
        { type: event.type, aggregateType: 'user', aggregateId: userId, resourceOwner: orgId, editorUserId, payload: event.payload },
        now,
      );
    }
    return sequence;
  }

  /** Records `domain` as verified for `orgId` (org domains are unique instance-wide). */
  addVerifiedOrgDomain(orgId: string, domain: string): void {
    this.statements.upsertOrgDomain.run(domain.toLowerCase(), orgId);
  }

  /**
   * Commands.userValidateDomain (internal/command/user_human.go): a username `…@domain` whose domain
   * another org verified is refused (COMMAND-SFd21), unless the org's users must use its domain.
   */
  usernameDomainTaken(username: string, orgId: string): boolean {
    const at = username.lastIndexOf('@');
    if (at < 0) return false;
    const row = this.statements.orgOfDomain.get(username.slice(at + 1).toLowerCase()) as { org_id: string } | undefined;
    return row !== undefined && row.org_id !== orgId;
  }

  orgExists(orgId: string): boolean {
    return this.statements.findOrg.get(orgId) !== undefined;
  }

  /** The org's id and name, or undefined. */
  findOrg(orgId: string): { id: string; name: string } | undefined {
    return this.statements.findOrg.get(orgId) as { id: string; name: string } | undefined;
  }

  /** Creates an org with its `org.added` event; false when the id is taken. */
  createOrg(orgId: string, name: string, editorUserId: string): boolean {
    return this.db.transaction(() => {
      if (this.orgExists(orgId)) return false;
      const now = new Date().toISOString();
      this.statements.insertOrg.run(orgId, name, now);
      this.events.append(
        { type: 'org.added', aggregateType: 'org', aggregateId: orgId, resourceOwner: orgId, editorUserId, payload: { name } },
        now,
      );
      return true;
    })();
  }

  listOrgIds(): string[] {
    return (this.statements.listOrgIds.all() as { id: string }[]).map((row) => row.id);
  }

  /** Writes the user, its metadata, its state and their events atomically, or reports the conflict. */
  insertUser(user: NewHumanUser, editorUserId: string): InsertUserResult {
    return this.insertUserTransaction(user, editorUserId);
  }

  userIdExists(userId: string): boolean {
    return this.statements.idExists.get(userId) !== undefined;
  }

  usernameTaken(username: string): boolean {
    return this.statements.usernameExists.get(usernameKey(username)) !== undefined;
  }

  /**
   * Appends a command's events to an existing user and applies what they change, atomically; the
   * state follows from the events. No events, no write (ZITADEL pushes nothing for a no-op).
   * A taken user name or IdP link is the push's unique-constraint failure: nothing is written.
   */
  updateUser(userId: string, editorUserId: string, events: readonly UserEvent[], update: UserUpdate = {}): UpdateUserResult {
    return this.updateUserTransaction(userId, editorUserId, events, update);
  }

  /** Sets one metadata entry of an existing user, with its `user.metadata.set` event. */
  setMetadata(userId: string, key: string, value: Buffer, editorUserId: string): UpdateUserResult {
    const event: UserEvent = { type: UserEventType.metadataSet, payload: { key, value: value.toString('base64') } };
    return this.updateUser(userId, editorUserId, [event], { metadataSet: [{ key, value }] });
  }

  /** The user's metadata, by key. */
  metadataOf(userId: string): StoredMetadata[] {
    return this.statements.metadataOf.all(userId) as StoredMetadata[];
  }

  findUserById(userId: string): StoredHumanUser | undefined {
    const row = this.statements.userById.get(userId) as UserRow | undefined;
    return row ? toStoredUser(row) : undefined;
  }

  /**
   * The session API's `checks.user.loginName` (internal/api/grpc/session/v2/session.go userByLoginName →
   * Queries.GetUserByLoginName in internal/query/user.go with user_by_login_name.sql): the input is
   * lower-cased and matched against login names only, never the e-mail or phone. Under the default
   * domain policy (cmd/defaults.yaml DomainPolicy.UserLoginMustBeDomain: false, the only one the
   * emulator has) a login name is the user name itself, so `username@orgdomain` matches only a user
   * named exactly that. Logging in with the e-mail is the login UI's lookup (see login/hosted-login-lookup.ts).
   */
  findUserByLoginName(loginName: string): StoredHumanUser | undefined {
    const row = this.statements.userByUsername.get(usernameKey(loginName)) as UserRow | undefined;
    return row ? toStoredUser(row) : undefined;
  }

  /** Users matching every condition, sorted and paged as ListUsers does, with the total before paging. */
  listUsers(request: UserListRequest): { total: number; users: StoredHumanUser[] } {
    const { countSql, pageSql, params, pageParams } = userListSql(request);
    const total = (this.listStatement(countSql).get(...params) as { n: number }).n;
    const rows = this.listStatement(pageSql).all(...pageParams) as UserRow[];
    return { total, users: rows.map(toStoredUser) };
  }

  private listStatement(sql: string): Statement<unknown[]> {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      // Shapes vary with the query; a bounded cache keeps a pager's few shapes prepared.
      if (this.listStatements.size >= 64) this.listStatements.clear();
      statement = this.db.prepare(sql);
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** Records a session created by a successful password check. */
  createSession(sessionId: string, tokenHash: string, user: StoredHumanUser): { sequence: number; createdAt: string } {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const sequence = this.events.append(
        {
          type: 'session.added',
          aggregateType: 'session',
          aggregateId: sessionId,
          resourceOwner: user.orgId,
          editorUserId: user.id,
          payload: { userId: user.id },
        },
        now,
      );
      this.statements.insertSession.run(sessionId, tokenHash, user.id, sequence, now);
      return { sequence, createdAt: now };
    })();
  }

  /** The notifications ZITADEL's notifier would have sent for the events so far. */
  notifications(): NotificationCounts {
    const counts = this.events.countByType([UserEventType.initCodeAdded, UserEventType.emailCodeAdded, UserEventType.phoneCodeAdded], true);
    return {
      initEmails: counts[UserEventType.initCodeAdded] ?? 0,
      verificationEmails: counts[UserEventType.emailCodeAdded] ?? 0,
      verificationSms: counts[UserEventType.phoneCodeAdded] ?? 0,
    };
  }

  counts(): { users: number; usersByState: Record<string, number>; metadata: number; orgs: number; sessions: number; events: number } {
    const usersByState: Record<string, number> = {};
    let users = 0;
    for (const row of this.statements.countUsers.all() as { state: string; n: number }[]) {
      usersByState[row.state] = row.n;
      users += row.n;
    }
    return {
      users,
      usersByState,
      metadata: (this.statements.countMetadata.get() as { n: number }).n,
      orgs: (this.statements.countOrgs.get() as { n: number }).n,
      sessions: (this.statements.countSessions.get() as { n: number }).n,
      events: this.events.count(),
    };
  }
}
