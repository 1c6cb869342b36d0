// Orgs, human users, their metadata and sessions in SQLite. Each user is written in one
// transaction together with its events, so a user is never half-written.
import type { TextQueryMethod } from '@idflow/zitadel-model';
import { type HumanData, type IdpLink, type NewHumanUser, type StoredHumanUser, usernameKey } from '../users/human-user.js';
import { stateAfter, type UserEvent, UserEventType, type UserState } from '../users/user-events.js';
import { EventLog } from './event-log.js';
import type { EmulatorDatabase } from './open-database.js';

export type InsertUserResult =
  | { ok: true; sequence: number; createdAt: string; state: UserState }
  | { ok: false; conflict: 'id' | 'username' | 'idpLink' };

/** What changes on a user together with the events of a command. */
export interface UserUpdate {
  human?: HumanData;
  passwordHash?: string;
  passwordChangeRequired?: boolean;
  metadataSet?: { key: string; value: Buffer }[];
  metadataRemoved?: string[];
  idpLinksAdded?: IdpLink[];
}

export type UpdateUserResult =
  | { ok: true; sequence: number; changedAt: string; state: UserState }
  | { ok: false; reason: 'user-not-found' | 'idpLink' };

/** One condition of a user list; all conditions must hold. */
export type UserCondition =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'text'; column: 'username' | 'email'; value: string; method: TextQueryMethod }
  | { kind: 'org'; orgId: string };

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

function textCondition(column: string, method: TextQueryMethod): string {
  const ignoreCase = method.endsWith('_IGNORE_CASE');
  const col = ignoreCase ? `lower(${column})` : column;
  const arg = ignoreCase ? 'lower(?)' : '?';
  if (method.startsWith('TEXT_QUERY_METHOD_STARTS_WITH')) return `substr(${col}, 1, length(${arg})) = ${arg}`;
  if (method.startsWith('TEXT_QUERY_METHOD_ENDS_WITH')) return `substr(${col}, -length(${arg})) = ${arg}`;
  if (method.startsWith('TEXT_QUERY_METHOD_CONTAINS')) return `instr(${col}, ${arg}) > 0`;
  return `${col} = ${arg}`;
}

/** The users, metadata, orgs and sessions of one emulator instance. */
export class UserStore {
  readonly events: EventLog;
  private readonly statements;
  private readonly insertUserTransaction;

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
        `UPDATE users SET state = ?, email = ?, password_hash = ?, password_change_required = ?, human_json = ?,
           sequence = ?, changed_at = ? WHERE id = ?`,
      ),
      upsertOrgDomain: db.prepare(
        'INSERT INTO org_domains (domain_key, org_id) VALUES (?, ?) ON CONFLICT (domain_key) DO UPDATE SET org_id = excluded.org_id',
      ),
      orgOfDomain: db.prepare('SELECT org_id FROM org_domains WHERE domain_key = ?'),
      deleteMetadata: db.prepare('DELETE FROM user_metadata WHERE user_id = ? AND key = ?'),
      idpLinkTaken: db.prepare('SELECT 1 FROM user_idp_links WHERE idp_id = ? AND external_user_id_key = ?'),
      insertIdpLink: db.prepare('INSERT INTO user_idp_links (idp_id, external_user_id_key, user_id) VALUES (?, ?, ?)'),
      upsertMetadata: db.prepare(
        'INSERT INTO user_metadata (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value',
      ),
      insertSession: db.prepare('INSERT INTO sessions (id, token_hash, user_id, sequence, created_at) VALUES (?, ?, ?, ?, ?)'),
      countUsers: db.prepare('SELECT state, COUNT(*) AS n FROM users GROUP BY state'),
      countMetadata: db.prepare('SELECT COUNT(*) AS n FROM user_metadata'),
      countOrgs: db.prepare('SELECT COUNT(*) AS n FROM orgs'),
      countSessions: db.prepare('SELECT COUNT(*) AS n FROM sessions'),
      metadataOf: db.prepare('SELECT key, value FROM user_metadata WHERE user_id = ? ORDER BY key'),
    };
    this.insertUserTransaction = db.transaction((user: NewHumanUser, editorUserId: string): InsertUserResult => {
      if (this.statements.idExists.get(user.id)) return { ok: false, conflict: 'id' };
      if (this.statements.usernameExists.get(usernameKey(user.username))) return { ok: false, conflict: 'username' };
      const links = user.human.idpLinks ?? [];
      if (links.some((link) => this.statements.idpLinkTaken.get(link.idpId, externalIdKey(link)))) return { ok: false, conflict: 'idpLink' };
      const now = new Date().toISOString();
      const sequence = this.appendEvents(user.id, user.orgId, editorUserId, user.events, now);
      for (const entry of user.metadata) this.statements.upsertMetadata.run(user.id, entry.key, entry.value);
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
   */
  updateUser(userId: string, editorUserId: string, events: readonly UserEvent[], update: UserUpdate = {}): UpdateUserResult {
    return this.db.transaction((): UpdateUserResult => {
      const user = this.findUserById(userId);
      if (!user) return { ok: false, reason: 'user-not-found' };
      if (events.length === 0) return { ok: true, sequence: user.sequence, changedAt: user.changedAt, state: user.state };
      const added = update.idpLinksAdded ?? [];
      if (added.some((link) => this.statements.idpLinkTaken.get(link.idpId, externalIdKey(link)))) return { ok: false, reason: 'idpLink' };
      const now = new Date().toISOString();
      const sequence = this.appendEvents(userId, user.orgId, editorUserId, events, now);
      for (const entry of update.metadataSet ?? []) this.statements.upsertMetadata.run(userId, entry.key, entry.value);
      for (const key of update.metadataRemoved ?? []) this.statements.deleteMetadata.run(userId, key);
      for (const link of added) this.statements.insertIdpLink.run(link.idpId, externalIdKey(link), userId);
      const human = update.human ?? user.human;
      const state = stateAfter(events, user.state);
      this.statements.updateUser.run(
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
    })();
  }

  /** Sets one metadata entry of an existing user, with its `user.metadata.set` event. */
  setMetadata(userId: string, key: string, value: Buffer, editorUserId: string): UpdateUserResult {
    const event: UserEvent = { type: UserEventType.metadataSet, payload: { key, value: value.toString('base64') } };
    return this.updateUser(userId, editorUserId, [event], { metadataSet: [{ key, value }] });
  }

  metadataOf(userId: string): { key: string; value: Buffer }[] {
    return this.statements.metadataOf.all(userId) as { key: string; value: Buffer }[];
  }

  findUserById(userId: string): StoredHumanUser | undefined {
    const row = this.statements.userById.get(userId) as UserRow | undefined;
    return row ? toStoredUser(row) : undefined;
  }

  findUserByLoginName(loginName: string): StoredHumanUser | undefined {
    const row = this.statements.userByUsername.get(usernameKey(loginName)) as UserRow | undefined;
    return row ? toStoredUser(row) : undefined;
  }

  /** Users matching every condition, in creation order, with the total before paging. */
  listUsers(conditions: UserCondition[], offset: number, limit: number): { total: number; users: StoredHumanUser[] } {
    const where: string[] = [];
    const params: string[] = [];
    for (const condition of conditions) {
      if (condition.kind === 'ids') {
        if (condition.ids.length === 0) return { total: 0, users: [] };
        // json_each instead of one placeholder per id: a batch of ids may pass SQLite's variable limit.
        where.push('id IN (SELECT value FROM json_each(?))');
        params.push(JSON.stringify(condition.ids));
      } else if (condition.kind === 'org') {
        where.push('org_id = ?');
        params.push(condition.orgId);
      } else {
        const sql = textCondition(condition.column, condition.method);
        where.push(sql);
        const uses = sql.split('?').length - 1;
        for (let i = 0; i < uses; i++) params.push(condition.value);
      }
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM users ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM users ${clause} ORDER BY rowid LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as UserRow[];
    return { total, users: rows.map(toStoredUser) };
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
