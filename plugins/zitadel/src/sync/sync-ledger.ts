// What idflow sent to a ZITADEL target, kept on this machine (SQLite, mode 0600): ZITADEL never
// returns a password hash (no v2 read call has it), and setting the same hash again still writes a
// `user.human.password.changed` event, so a sync can only tell "same password" from its own record.
//
// Rows are keyed by the target's identity (URL + organization, `zitadelSinkTarget`), never by the
// export or the checkpoint: a sync with a NEW export (new source fingerprint, new checkpoint, even a
// new output folder) still knows what the first migration sent, and a rehearsal target can never
// mark a production user as up to date. Never stored in ZITADEL (metadata is readable by apps).
//
// Per user: a fingerprint of the last hash the target confirmed (salted SHA-256; the salt is
// random per ledger file), the hash being sent (`pending`, written before the call, so a crash
// between the call and its confirmation is known), the metadata keys idflow set (only those are
// ever removed), and the sync run that last saw the user in the source (for `onMissing`).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** What the ledger knows of a user's password compared with the hash of the record. */
export type PasswordKnowledge = 'same' | 'different' | 'unknown' | 'pending';

/** The default ledger: `$IDFLOW_STATE_DIR`, else `$XDG_STATE_HOME/idflow`, else `~/.local/state/idflow`. */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.IDFLOW_STATE_DIR || join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'idflow');
  return join(dir, 'sync-ledger.sqlite');
}

interface LedgerRow {
  password_fp: string | null;
  pending_fp: string | null;
  metadata_keys: string | null;
}

/** The ledger of one target; `readOnly` (idflow diff) never creates or changes the file. */
export class SyncLedger {
  private readonly db: BetterSqlite3.Database | undefined;
  private readonly salt: string;
  private readonly statements: ReturnType<SyncLedger['prepare']> | undefined;

  constructor(
    readonly path: string,
    private readonly target: string,
    readOnly: boolean,
  ) {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    if (readOnly && !existsSync(path)) {
      this.salt = '';
      return;
    }
    if (!readOnly) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new Database(path, { readonly: readOnly, timeout: 10_000 });
    if (!readOnly) {
      chmodSync(path, 0o600);
      this.db.pragma('journal_mode = WAL');
      // Durable across a killed process (what resume is about); a power cut may lose the last commits.
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sent (
          target TEXT NOT NULL, user_id TEXT NOT NULL,
          password_fp TEXT, pending_fp TEXT, metadata_keys TEXT, seen_run TEXT,
          PRIMARY KEY (target, user_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS sent_seen ON sent (target, seen_run);`);
      this.db.prepare('INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?, ?)').run('salt', randomBytes(16).toString('hex'));
    }
    this.salt = (this.db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get('salt') as { value: string } | undefined)?.value ?? '';
    this.statements = this.prepare(this.db, readOnly);
  }

  private prepare(db: BetterSqlite3.Database, readOnly: boolean) {
    const upsert = (column: string) =>
      readOnly
        ? undefined
        : db.prepare(`INSERT INTO sent (target, user_id, ${column}) VALUES (?, ?, ?) ON CONFLICT (target, user_id) DO UPDATE SET ${column} = excluded.${column}`);
    return {
      row: db.prepare('SELECT password_fp, pending_fp, metadata_keys FROM sent WHERE target = ? AND user_id = ?'),
      pending: upsert('pending_fp'),
      seen: upsert('seen_run'),
      keys: upsert('metadata_keys'),
      confirm: readOnly
        ? undefined
        : db.prepare(
            `INSERT INTO sent (target, user_id, password_fp) VALUES (?, ?, ?) ON CONFLICT (target, user_id) DO UPDATE SET password_fp = excluded.password_fp, pending_fp = NULL`,
          ),
      countSeen: db.prepare('SELECT count(*) AS n FROM sent WHERE target = ? AND seen_run = ?'),
      isSeen: db.prepare('SELECT 1 FROM sent WHERE target = ? AND user_id = ? AND seen_run = ?'),
      seenPrefixes: db.prepare(
        `SELECT DISTINCT substr(user_id, 1, instr(user_id, '|')) AS prefix FROM sent WHERE target = ? AND seen_run = ? AND instr(user_id, '|') > 0`,
      ),
    };
  }

  private fingerprint(hash: string): string {
    return createHash('sha256').update(this.salt).update('\0').update(hash).digest('base64url');
  }

  private row(userId: string): LedgerRow | undefined {
    return this.statements?.row.get(this.target, userId) as LedgerRow | undefined;
  }

  /** Whether `hash` is what the target last confirmed for this user. */
  passwordKnowledge(userId: string, hash: string): PasswordKnowledge {
    const row = this.row(userId);
    const fp = this.fingerprint(hash);
    if (row?.password_fp === fp) return 'same';
    if (row?.pending_fp === fp) return 'pending';
    return row?.password_fp ? 'different' : 'unknown';
  }

  /** Before the call that sends `hash`: a crash before `passwordConfirmed` leaves it pending. */
  passwordSending(userId: string, hash: string): void {
    this.statements?.pending?.run(this.target, userId, this.fingerprint(hash));
  }

  /** After the target confirmed it holds `hash` (create answered with the id, UpdateUser 200). */
  passwordConfirmed(userId: string, hash: string): void {
    this.statements?.confirm?.run(this.target, userId, this.fingerprint(hash));
  }

  /** Metadata keys idflow set on this user (the only ones a sync ever removes). */
  metadataKeys(userId: string): string[] {
    const keys = this.row(userId)?.metadata_keys;
    return keys ? (JSON.parse(keys) as string[]) : [];
  }

  metadataConfirmed(userId: string, keys: string[]): void {
    this.statements?.keys?.run(this.target, userId, JSON.stringify([...keys].sort()));
  }

  /** Runs `writes` as one transaction (one commit for a batch of users). */
  inTransaction(writes: () => void): void {
    if (this.db && !this.db.readonly) this.db.transaction(writes)();
    else writes();
  }

  /** Marks users as read from the source in sync run `run` (survives a resume of that run). */
  markSeen(userIds: readonly string[], run: string): void {
    const seen = this.statements?.seen;
    if (!seen) return;
    this.inTransaction(() => {
      for (const userId of userIds) seen.run(this.target, userId, run);
    });
  }

  seenCount(run: string): number {
    return (this.statements?.countSeen.get(this.target, run) as { n: number } | undefined)?.n ?? 0;
  }

  wasSeen(userId: string, run: string): boolean {
    return this.statements?.isSeen.get(this.target, userId, run) !== undefined;
  }

  /** `auth0|`, `google-oauth2|`…: the id prefixes of the users seen in `run`. */
  seenIdPrefixes(run: string): string[] {
    return ((this.statements?.seenPrefixes.all(this.target, run) ?? []) as { prefix: string }[]).map((row) => row.prefix);
  }

  close(): void {
    this.db?.close();
  }
}
