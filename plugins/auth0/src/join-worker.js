// The on-disk join index, in the engine's worker thread (WorkerChannel): an embedded SQLite file (better-sqlite3) holding the
// password records and the ids of profiles without one. The main thread keeps parsing while this
// thread writes and looks up (see join-store.ts for why).
//
// Plain JavaScript so the same file runs from `src` (unit tests) and `dist`.
//
// Passwords are appended in file order (the ordinal is the rowid) and the key index is built once,
// sorted, at `seal`, which also removes and reports the later copies of a key: measured on 1M
// records, that loads in ~3 s where maintaining the index row by row costs several times that.

import { closeSync, openSync } from 'node:fs';

/** Opens the database; answers the request handlers (run by the engine's WorkerChannel thread). */
export async function open({ path, cacheMiB }) {
  const { default: Database } = await import('better-sqlite3');
  let db;
  try {
    // Created first with mode 0600: the file holds password hashes.
    closeSync(openSync(path, 'wx', 0o600));
    db = new Database(path);
  } catch (error) {
    throw new Error(`join index store could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A private scratch file, removed at the end: durability would only cost time.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma(`cache_size = -${cacheMiB * 1024}`);
  db.exec(`
    CREATE TABLE passwords (ordinal INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL);
    CREATE TABLE profile_ids (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
  `);
  const insertPassword = db.prepare('INSERT INTO passwords (ordinal, key, value) VALUES (?, ?, ?)');
  const insertId = db.prepare('INSERT INTO profile_ids (key, line) VALUES (?, ?)');
  const idLine = db.prepare('SELECT line FROM profile_ids WHERE key = ?').pluck();
  const byOrdinal = db.prepare('SELECT ordinal, key, value FROM passwords WHERE ordinal = ?').raw();
  const page = db.prepare('SELECT ordinal, key, value FROM passwords WHERE ordinal > ? ORDER BY ordinal LIMIT ?').raw();
  /** @type {import('better-sqlite3').Statement | undefined} */
  let byKey;
  let nextOrdinal = 0;
  let uncommitted = 0;

  function commit() {
    if (db.inTransaction) db.exec('COMMIT');
    db.exec('BEGIN');
    uncommitted = 0;
  }

  function wrote() {
    if (++uncommitted >= 10_000) commit();
  }

  /** [ordinal, value] of the first record under `key`, or null. */
  function lookup(key) {
    const row = byKey.get(key);
    return row ? [row[0], row[2]] : null;
  }

  db.exec('BEGIN');
  return {
    /** rows: [key, value, key, value, …]; answers the first ordinal given. */
    append({ rows }) {
      const first = nextOrdinal;
      for (let i = 0; i < rows.length; i += 2) {
        insertPassword.run(nextOrdinal++, rows[i], rows[i + 1]);
        wrote();
      }
      return first;
    },
    /** Builds the key index; removes the later copies of each key: [ordinal, key, value, firstValue][]. */
    seal() {
      commit();
      db.exec('CREATE INDEX passwords_key ON passwords (key)');
      byKey = db.prepare('SELECT ordinal, key, value FROM passwords WHERE key = ? ORDER BY ordinal LIMIT 1').raw();
      const rows = db
        .prepare('SELECT ordinal, key, value FROM passwords WHERE key IN (SELECT key FROM passwords GROUP BY key HAVING count(*) > 1) ORDER BY key, ordinal')
        .raw()
        .all();
      const duplicates = [];
      let first;
      for (const [ordinal, key, value] of rows) {
        if (first?.[1] !== key) first = [ordinal, key, value];
        else duplicates.push([ordinal, key, value, first[2]]);
      }
      const remove = db.prepare('DELETE FROM passwords WHERE ordinal = ?');
      for (const duplicate of duplicates) remove.run(duplicate[0]);
      commit();
      return duplicates.sort((a, b) => a[0] - b[0]);
    },
    /**
     * In order, for each profile id: its password record ([ordinal, value]) when the id starts with
     * `auth0|` and has one; else the line it was first seen at (a number), registering it when new (0).
     */
    claim({ ids, lines }) {
      const results = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        const found = id.startsWith('auth0|') ? lookup(id) : null;
        if (found) {
          results[i] = found;
          continue;
        }
        const earlier = idLine.get(id);
        if (earlier !== undefined) results[i] = earlier;
        else {
          insertId.run(id, lines[i]);
          wrote();
          results[i] = 0;
        }
      }
      return results;
    },
    /** Profile ids kept in memory until now: rows [key, line, key, line, …]. */
    addIds({ rows }) {
      for (let i = 0; i < rows.length; i += 2) {
        insertId.run(rows[i], rows[i + 1]);
        wrote();
      }
      return rows.length / 2;
    },
    /** [ordinal, value] or null per key. */
    find({ keys }) {
      return keys.map(lookup);
    },
    /** [ordinal, key, value] rows of the given ordinals (skipping removed ones), in the order asked. */
    rows({ ordinals }) {
      const found = [];
      for (const ordinal of ordinals) {
        const row = byOrdinal.get(ordinal);
        if (row) found.push(row);
      }
      return found;
    },
    /** Up to `limit` [ordinal, key, value] rows after `after`, in file order. */
    page({ after, limit }) {
      return page.all(after, limit);
    },
    close() {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
      return null;
    },
  };
}

