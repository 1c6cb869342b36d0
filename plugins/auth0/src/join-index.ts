// The join between profiles and password records, by exact id: every password record is indexed
// under `auth0|<alt_id or _id.$oid>`; each profile claims its record by `user_id`. A record
// claimed twice reveals a duplicate profile, one never claimed is an orphan. Profile ids without a
// password record are remembered separately, also to find duplicates.
//
// Both tables start as Maps; above `spillThreshold` entries (or when the file sizes announce that
// many) they move to an embedded SQLite file run by a worker thread (JoinStore), in a private temp
// directory removed by `close()`, so memory does not grow with the export. Which profile claimed
// which password stays here, 4 bytes per record.
//
// Profiles are claimed a chunk at a time: `requestClaims` for the next chunk is sent before
// `takeClaims` for the current one, so the disk lookups overlap the parsing (see JoinStore).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClaimResult, type DuplicateRow, type FoundRow, JoinStore, type PasswordRow } from './join-store.js';
import type { Auth0Password } from './record.js';

/** A password record with where it was read. */
export interface StoredPassword {
  key: string;
  ordinal: number;
  line: number;
  offset: number;
  password: Auth0Password;
}

export type ProfileClaim =
  | { duplicateOfLine: number }
  | { duplicateOfLine?: undefined; stored?: StoredPassword };

/** Claims in flight: answered already (in memory) or by the store later. */
export type ClaimTicket = { claims: ProfileClaim[] } | { request: number; userIds: string[]; lines: number[] };

type Packed = [line: number, offset: number, hash: string, oid: string, setDate?: string, connection?: string, altId?: string, email?: string];

// Packed as fields joined by NUL (absent = SOH): splitting is several times cheaper than
// JSON.parse on the hot path. Values that hold NUL or SOH themselves fall back to JSON (STX prefix).
const separator = '\u0000';
const absent = '\u0001';
const jsonMarker = '\u0002';

function isPlain(field: string | undefined): boolean {
  return field === undefined || (!field.includes(separator) && field !== absent && !field.startsWith(jsonMarker));
}

function pack(line: number, offset: number, p: Auth0Password): string {
  const { hash, oid, setDate, connection, altId, email } = p;
  const plain = isPlain(hash) && isPlain(oid) && isPlain(setDate) && isPlain(connection) && isPlain(altId) && isPlain(email);
  if (!plain) return jsonMarker + JSON.stringify([line, offset, hash, oid, setDate, connection, altId, email]);
  // One join, so the stored value is a single flat string (no tree of concatenations in the table).
  return [line, offset, hash, oid, setDate ?? absent, connection ?? absent, altId ?? absent, email ?? absent].join(separator);
}

function unpackFields(value: string): Packed {
  if (value.startsWith(jsonMarker)) return JSON.parse(value.slice(1)) as Packed;
  const parts = value.split(separator);
  return [Number(parts[0]), Number(parts[1]), parts[2], parts[3], present(parts[4]), present(parts[5]), present(parts[6]), present(parts[7])];
}

// A plain function rather than a per-call closure over `parts`: this runs once per user.
function present(field: string): string | undefined {
  return field === absent ? undefined : field;
}

function unpack(key: string, ordinal: number, value: string): StoredPassword {
  // Once per user: read the split parts directly rather than through unpackFields' tuple.
  if (value.startsWith(jsonMarker)) return toStored(key, ordinal, unpackFields(value));
  const parts = value.split(separator);
  const password: Auth0Password = { hash: parts[2], oid: parts[3] };
  const setDate = present(parts[4]);
  if (setDate !== undefined) password.setDate = setDate;
  const connection = present(parts[5]);
  if (connection !== undefined) password.connection = connection;
  const altId = present(parts[6]);
  if (altId !== undefined) password.altId = altId;
  const email = present(parts[7]);
  if (email !== undefined) password.email = email;
  return { key, ordinal, line: Number(parts[0]), offset: Number(parts[1]), password };
}

function toStored(key: string, ordinal: number, packed: Packed): StoredPassword {
  const [line, offset, hash, oid, setDate, connection, altId, email] = packed;
  const password: Auth0Password = { hash, oid };
  if (setDate != null) password.setDate = setDate;
  if (connection != null) password.connection = connection;
  if (altId != null) password.altId = altId;
  if (email != null) password.email = email;
  return { key, ordinal, line, offset, password };
}

/**
 * The in-memory Map's key for a join key. Join keys are `auth0|<id>`, built by concatenation, and
 * V8 compares such a string with a parsed `user_id` several times slower than a flat one: the Map
 * holds the `<id>` part (a flat slice), which made lookups ~40% quicker. Any other key (a
 * `google-oauth2|…` profile id asked about by the email fallback) gets a prefix no id starts with.
 */
function memoryKey(key: string): string {
  return key.startsWith('auth0|') ? key.slice(6) : `\u0000${key}`;
}

/** Marks a later copy of a key, removed from the store, so no scan takes it for an orphan. */
const removed = 0xffffffff;
/** Password rows are sent to the store in chunks of this many. */
const appendChunk = 2000;
/** Orphans and full scans are read from the store in pages of this many. */
const pageSize = 2000;

export class JoinIndex {
  /** In memory, by memoryKey(key): the records themselves, ready to hand out (no packing until they move to disk). */
  private passwords: Map<string, StoredPassword> | undefined = new Map();
  private profileIds: Map<string, number> | undefined = new Map();
  private store: JoinStore | undefined;
  private tempDir: string | undefined;
  private pendingRows: string[] = [];
  /** Ordinals handed out (including later copies of keys, removed at seal). */
  private ordinals = 0;
  private duplicatesRemoved = 0;
  private sealed = false;
  /** For each password ordinal: the profile line that claimed it (0 = unclaimed). */
  private claimedBy = new Uint32Array(1024);

  /** `expected` sizes (estimated from file sizes) above the threshold start the tables on disk. */
  constructor(
    private readonly spillThreshold: number,
    expected: { passwords: number; profilesWithoutPassword: number },
    private readonly onSpill?: (what: string, dir: string) => void,
    /** Where the spill folder goes: the run's temp folder (swept after a kill), else the system's. */
    private readonly tempRoot: string = tmpdir(),
  ) {
    if (expected.passwords > spillThreshold || expected.profilesWithoutPassword > spillThreshold) {
      this.claimedBy = new Uint32Array(Math.ceil(expected.passwords * 1.05) + 1);
      this.spill(expected.passwords > spillThreshold ? 'passwords' : 'profile ids');
    }
  }

  get passwordCount(): number {
    return this.passwords ? this.passwords.size : this.ordinals - this.duplicatesRemoved;
  }

  /** True when the tables live on disk. */
  get spilled(): boolean {
    return this.store !== undefined;
  }

  /** Temp directories of the on-disk tables (for tests checking they are removed). */
  get storeDirs(): string[] {
    return this.tempDir ? [this.tempDir] : [];
  }

  /**
   * Indexes a password record; answers the line of an earlier record with the same key when it is
   * known at once (in memory). On disk, repeated keys are found by `sealPasswords()`. `id` is
   * `memoryKey(key)` when the caller holds it as a string of its own (the `<id>` of `auth0|<id>`,
   * as parsed): slicing `key` would build it again, flattening `key` first.
   */
  addPassword(key: string, password: Auth0Password, line: number, offset: number, id?: string): number | undefined {
    if (!this.passwords) {
      this.appendRow(key, pack(line, offset, password));
      this.ordinals++;
      return undefined;
    }
    id ??= memoryKey(key);
    const existing = this.passwords.get(id);
    if (existing) return existing.line;
    this.passwords.set(id, { key, ordinal: this.ordinals++, line, offset, password });
    if (this.passwords.size > this.spillThreshold) this.spill('passwords');
    return undefined;
  }

  /** Ends indexing: password records whose key an earlier record holds and that `addPassword` did not report. */
  sealPasswords(): (StoredPassword & { firstLine: number })[] {
    if (!this.store || this.sealed) return [];
    this.sealed = true;
    this.flushRows();
    const duplicates = this.store.seal();
    this.duplicatesRemoved += duplicates.length;
    return duplicates.map(([ordinal, key, value, firstValue]: DuplicateRow) => {
      this.markClaimed(ordinal, removed);
      return { ...unpack(key, ordinal, value), firstLine: unpackFields(firstValue)[0] };
    });
  }

  /** The password record indexed under `key`, claimed or not. */
  findPassword(key: string): StoredPassword | undefined {
    if (this.passwords) return this.passwords.get(memoryKey(key));
    this.ensureSealed();
    const [row] = this.store!.call<(FoundRow | null)[]>('find', { keys: [key] });
    return row ? unpack(key, row[0], row[1]) : undefined;
  }

  /** Whether each key has a password record (one round trip to the store for the lot). */
  hasPasswords(keys: string[]): boolean[] {
    if (this.passwords) return keys.map((key) => this.passwords!.has(memoryKey(key)));
    this.ensureSealed();
    return this.store!.call<(FoundRow | null)[]>('find', { keys }).map((row) => row !== null);
  }

  /** The password record indexed under each key, claimed or not (one round trip to the store for the lot). */
  findPasswords(keys: string[]): (StoredPassword | undefined)[] {
    if (this.passwords) return keys.map((key) => this.passwords!.get(memoryKey(key)));
    this.ensureSealed();
    return this.store!.call<(FoundRow | null)[]>('find', { keys }).map((row, i) => (row ? unpack(keys[i], row[0], row[1]) : undefined));
  }

  /** Whether a password record was claimed by a profile. */
  isClaimed(ordinal: number): boolean {
    return ordinal < this.claimedBy.length && this.claimedBy[ordinal] !== 0;
  }

  /** Claims the record under `key` for the profile at `line`, unless a profile claimed it already. */
  claimPassword(key: string, line: number, accept: (stored: StoredPassword) => boolean = () => true): StoredPassword | undefined {
    const stored = this.findPassword(key);
    if (!stored || this.isClaimed(stored.ordinal) || !accept(stored)) return undefined;
    this.markClaimed(stored.ordinal, line);
    return stored;
  }

  /** Marks a password record as claimed by the profile at `line`. */
  markClaimed(ordinal: number, line: number): void {
    if (ordinal >= this.claimedBy.length) {
      let size = this.claimedBy.length;
      while (size <= ordinal) size *= 2;
      const grown = new Uint32Array(size);
      grown.set(this.claimedBy);
      this.claimedBy = grown;
    }
    this.claimedBy[ordinal] = Math.max(line, 1);
  }

  /** Registers the profile `userId` read at `line`: its password record, or the earlier line with that id. */
  claimProfile(userId: string, line: number): ProfileClaim {
    return this.takeClaims(this.requestClaims([userId], [line]))[0];
  }

  /**
   * Starts claiming a chunk of profiles (ids and the lines they were read at), in order after
   * every chunk requested before. In memory the answer is ready at once; on disk it is looked up
   * while the caller goes on, and collected by `takeClaims`.
   */
  requestClaims(userIds: string[], lines: number[]): ClaimTicket {
    if (this.store) {
      this.ensureSealed();
      return { request: this.store.request('claim', { ids: userIds, lines }), userIds, lines };
    }
    const claims: ProfileClaim[] = [];
    for (let i = 0; i < userIds.length; i++) {
      // claimInMemory may have moved the tables to disk: the rest of the chunk is claimed there.
      const store = this.store as JoinStore | undefined;
      if (store) {
        const rest = store.call<ClaimResult[]>('claim', { ids: userIds.slice(i), lines: lines.slice(i) });
        for (let j = 0; j < rest.length; j++) claims.push(this.settleClaim(userIds[i + j], lines[i + j], rest[j]));
        break;
      }
      claims.push(this.claimInMemory(userIds[i], lines[i]));
    }
    return { claims };
  }

  /** The claims of a chunk, in the order asked. */
  takeClaims(ticket: ClaimTicket): ProfileClaim[] {
    if ('claims' in ticket) return ticket.claims;
    const results = this.store!.take<ClaimResult[]>(ticket.request);
    return results.map((result, i) => this.settleClaim(ticket.userIds[i], ticket.lines[i], result));
  }

  /** Every password record in file order, with whether a profile claimed it. */
  *allPasswords(): Generator<StoredPassword & { claimed: boolean }> {
    if (this.passwords) {
      for (const entry of this.passwords.values()) yield { ...entry, claimed: this.isClaimed(entry.ordinal) };
      return;
    }
    this.ensureSealed();
    for (let after = -1; ; ) {
      const rows = this.store!.call<PasswordRow[]>('page', { after, limit: pageSize });
      for (const [ordinal, key, value] of rows) yield { ...unpack(key, ordinal, value), claimed: this.isClaimed(ordinal) };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1][0];
    }
  }

  /** The password records no profile claimed, in file order: only they are read back from disk. */
  *unclaimedPasswords(): Generator<StoredPassword> {
    if (this.passwords) {
      for (const entry of this.passwords.values()) if (!this.isClaimed(entry.ordinal)) yield entry;
      return;
    }
    this.ensureSealed();
    let wanted: number[] = [];
    for (let ordinal = 0; ordinal < this.ordinals; ordinal++) {
      if (this.isClaimed(ordinal)) continue;
      wanted.push(ordinal);
      if (wanted.length === pageSize) {
        yield* this.passwordRows(wanted);
        wanted = [];
      }
    }
    if (wanted.length > 0) yield* this.passwordRows(wanted);
  }

  private *passwordRows(ordinals: number[]): Generator<StoredPassword> {
    for (const [ordinal, key, value] of this.store!.call<PasswordRow[]>('rows', { ordinals })) yield unpack(key, ordinal, value);
  }

  /** Without a password export (or before its end), the store is sealed before the first lookup. */
  private ensureSealed(): void {
    if (!this.sealed) this.sealPasswords();
  }

  /** Ends the worker and removes the temp store. */
  close(): void {
    this.store?.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.store = undefined;
    this.tempDir = undefined;
  }

  private claimInMemory(userId: string, line: number): ProfileClaim {
    const entry = userId.startsWith('auth0|') ? this.passwords!.get(userId.slice(6)) : undefined;
    if (entry) return this.settleClaim(userId, line, entry);
    const first = this.profileIds!.get(userId);
    if (first !== undefined) return { duplicateOfLine: first };
    this.profileIds!.set(userId, line);
    if (this.profileIds!.size > this.spillThreshold) this.spill('profile ids');
    return {};
  }

  /** The claim of the profile `userId` at `line` given what the store (or the Map) holds for it. */
  private settleClaim(userId: string, line: number, result: ClaimResult | StoredPassword): ProfileClaim {
    if (typeof result === 'number') return result === 0 ? {} : { duplicateOfLine: result };
    const ordinal = Array.isArray(result) ? result[0] : result.ordinal;
    const first = ordinal < this.claimedBy.length ? this.claimedBy[ordinal] : 0;
    if (first !== 0) return { duplicateOfLine: first };
    this.markClaimed(ordinal, line);
    return { stored: Array.isArray(result) ? unpack(userId, ordinal, result[1]) : result };
  }

  /** Queues a password row for the store, sent a chunk at a time. */
  private appendRow(key: string, value: string): void {
    this.pendingRows.push(key, value);
    if (this.pendingRows.length >= appendChunk * 2) this.flushRows();
  }

  private flushRows(): void {
    if (this.pendingRows.length === 0) return;
    this.store!.append(this.pendingRows);
    this.pendingRows = [];
  }

  /** Moves both tables to a SQLite file in a new temp directory; later work goes there. */
  private spill(what: string): void {
    this.tempDir = mkdtempSync(join(this.tempRoot, 'idflow-auth0-'));
    const store = new JoinStore(join(this.tempDir, 'join.sqlite'));
    this.store = store;
    const passwords = this.passwords!;
    const profileIds = this.profileIds!;
    this.passwords = undefined;
    this.profileIds = undefined;
    // Map order is ordinal order, so appending keeps the ordinals.
    for (const { key, line, offset, password } of passwords.values()) this.appendRow(key, pack(line, offset, password));
    if (profileIds.size > 0) {
      // Profiles are being read: the password index is complete, so it is sealed now.
      this.sealPasswords();
      let rows: (string | number)[] = [];
      for (const [key, line] of profileIds) {
        rows.push(key, line);
        if (rows.length >= appendChunk * 2) {
          store.call('addIds', { rows });
          rows = [];
        }
      }
      if (rows.length > 0) store.call('addIds', { rows });
    }
    this.onSpill?.(what, this.tempDir);
  }
}
