// The join between profiles and password records, by exact id: every password record is indexed
// under `auth0|<alt_id or _id.$oid>`; each profile claims its record by `user_id`. A record
// claimed twice reveals a duplicate profile, one never claimed is an orphan. Profile ids without a
// password record are remembered separately, also to find duplicates. Both tables spill to disk
// above the threshold (see SpillingTable), so memory does not grow with the export.

import type { Auth0Password } from './record.js';
import { SpillingTable } from './spilling-table.js';

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

export class JoinIndex {
  private readonly passwords: SpillingTable;
  private readonly idsWithoutPassword: SpillingTable;
  /** For each password ordinal: the profile line that claimed it (0 = unclaimed). */
  private claimedBy = new Uint32Array(1024);

  /** `expected` sizes (estimated from file sizes) above the threshold start the tables on disk. */
  constructor(spillThreshold: number, expected: { passwords: number; profilesWithoutPassword: number }, onSpill?: (what: string, dir: string) => void) {
    this.passwords = new SpillingTable('passwords', spillThreshold, (dir) => onSpill?.('passwords', dir), expected.passwords);
    this.idsWithoutPassword = new SpillingTable('profile-ids', spillThreshold, (dir) => onSpill?.('profile ids', dir), expected.profilesWithoutPassword);
    if (expected.passwords > spillThreshold) this.claimedBy = new Uint32Array(Math.ceil(expected.passwords * 1.05));
  }

  get passwordCount(): number {
    return this.passwords.size;
  }

  /** True when a table lives on disk. */
  get spilled(): boolean {
    return this.passwords.spilled || this.idsWithoutPassword.spilled;
  }

  /** Temp directories of the on-disk tables (for tests checking they are removed). */
  get storeDirs(): string[] {
    return [this.passwords.storeDir, this.idsWithoutPassword.storeDir].filter((dir): dir is string => dir !== undefined);
  }

  /** Indexes a password record; answers the line of an earlier record with the same key, if any. */
  addPassword(key: string, password: Auth0Password, line: number, offset: number): number | undefined {
    const result = this.passwords.putIfAbsent(key, pack(line, offset, password));
    return 'existing' in result ? unpackFields(result.existing.value)[0] : undefined;
  }

  /** The password record indexed under `key`, claimed or not. */
  findPassword(key: string): StoredPassword | undefined {
    const entry = this.passwords.get(key);
    return entry ? unpack(entry.key, entry.ordinal, entry.value) : undefined;
  }

  /** Whether a password record was claimed by a profile. */
  isClaimed(ordinal: number): boolean {
    return ordinal < this.claimedBy.length && this.claimedBy[ordinal] !== 0;
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
    const entry = userId.startsWith('auth0|') ? this.passwords.get(userId) : undefined;
    if (entry) {
      const first = entry.ordinal < this.claimedBy.length ? this.claimedBy[entry.ordinal] : 0;
      if (first !== 0) return { duplicateOfLine: first };
      this.markClaimed(entry.ordinal, line);
      return { stored: unpack(entry.key, entry.ordinal, entry.value) };
    }
    const seen = this.idsWithoutPassword.putIfAbsent(userId, String(line));
    if ('existing' in seen) return { duplicateOfLine: Number(seen.existing.value) };
    return {};
  }

  /** Every password record in file order, with whether a profile claimed it. */
  *allPasswords(): Generator<StoredPassword & { claimed: boolean }> {
    for (const entry of this.passwords.entries()) {
      yield { ...unpack(entry.key, entry.ordinal, entry.value), claimed: this.isClaimed(entry.ordinal) };
    }
  }

  /** Removes the temp stores. */
  close(): void {
    this.passwords.close();
    this.idsWithoutPassword.close();
  }
}
