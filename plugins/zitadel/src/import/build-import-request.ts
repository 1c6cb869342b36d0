// ZitadelUserRecord → the Admin API bulk import body (`POST /admin/v1/import`, dataOrgs shape,
// the same shape zitadel-tools writes).
import { writeUtf8 } from '@idflow/engine/write-utf8';
import type { ImportDataOrg, ImportDataRequest, ImportHumanUser, ZitadelUserRecord } from '@idflow/zitadel-model';

/** The org every imported user lands in. */
export interface ImportOrg {
  orgId: string;
  /** When given, the import creates the org if missing (an existing org yields a harmless error). */
  orgName?: string;
}

/** The user as ZITADEL should store it: a flagged reset forces a password change at first login. */
export function toImportUser(record: ZitadelUserRecord): ImportHumanUser {
  if (!record.passwordResetRequired) return record.user;
  // With a hash the user keeps logging in with it but must change it; without one there is
  // nothing to change, and ZITADEL's own "no password" flow (reset by mail) applies.
  return record.user.hashedPassword ? { ...record.user, passwordChangeRequired: true } : record.user;
}

/** The `humanUsers` entry of one record. */
function humanUserEntry(r: ZitadelUserRecord): NonNullable<ImportDataOrg['humanUsers']>[number] {
  return { userId: r.userId, user: toImportUser(r), ...(r.state && r.state !== 'USER_STATE_ACTIVE' ? { state: r.state } : {}) };
}

/** The `userMetadata` entries of one record. */
function metadataEntries(r: ZitadelUserRecord): NonNullable<ImportDataOrg['userMetadata']> {
  return r.metadata.map((m) => ({ id: r.userId, key: m.key, value: m.value }));
}

/** The `dataOrgs` entry of one org holding `records`. */
export function buildImportOrg(records: ZitadelUserRecord[], org: ImportOrg): ImportDataOrg {
  return {
    orgId: org.orgId,
    ...(org.orgName ? { org: { name: org.orgName } } : {}),
    humanUsers: records.map(humanUserEntry),
    userMetadata: records.flatMap(metadataEntries),
  };
}

/** The JSON of a record's `humanUsers` entry, as in JSON.stringify(buildImportRequest(…)). */
export function userEntryJson(record: ZitadelUserRecord): string {
  return JSON.stringify(humanUserEntry(record));
}

/** Appends the JSON of each of a record's `userMetadata` entries to `into`; answers how many. */
export function metadataEntryJsons(record: ZitadelUserRecord, into: string[]): number {
  if (record.metadata.length === 0) return 0;
  // The JSON of {id, key, value}, written out: no object per entry (several per user).
  const id = `{"id":${JSON.stringify(record.userId)},"key":`;
  for (const m of record.metadata) into.push(`${id}${JSON.stringify(m.key)},"value":${JSON.stringify(m.value)}}`);
  return record.metadata.length;
}

/** A buffer size for about `bytes` bytes, with room to spare. */
function roomFor(bytes: number): number {
  return Math.max(1 << 16, Math.ceil(bytes * 1.25));
}

/** Bytes appended to a buffer that doubles when full, with where each piece ends. */
class ByteList {
  private buffer: Buffer;
  length = 0;
  readonly ends: number[] = [];

  constructor(capacity = roomFor(0)) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Appends `text` as UTF-8, after a comma unless it is the first piece. */
  push(text: string): void {
    const separator = this.ends.length === 0 ? 0 : 1;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    const room = this.length + separator + text.length * 3;
    if (room > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    if (separator) this.buffer[this.length++] = 0x2c;
    this.length += writeUtf8(this.buffer, text, this.length);
    this.ends.push(this.length);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Piece `i` as text, without its comma. */
  piece(i: number): string {
    const start = i === 0 ? 0 : this.ends[i - 1] + 1;
    return this.buffer.toString('utf8', start, this.ends[i]);
  }
}

/**
 * A request body built one record at a time: `addJson` keeps only each record's JSON
 * (`userEntryJson`, `metadataEntryJsons`), as UTF-8 bytes appended to a buffer, so the records
 * themselves can be dropped at once (most then die young, which keeps memory and garbage
 * collection small) and no body-sized string is ever built or encoded. The parts `takeParts()`
 * answers, joined, are exactly `JSON.stringify(buildImportRequest(records, org, timeout))`.
 */
export class ImportBodyBytes {
  private users = new ByteList();
  private metadata = new ByteList();
  /** How many metadata entries each user has, in order. */
  private metadataCounts: number[] = [];

  constructor(
    private readonly org: ImportOrg,
    private readonly timeout: string,
  ) {}

  get size(): number {
    return this.metadataCounts.length;
  }

  /** Adds one user given as the JSON of its `humanUsers` entry and of its `userMetadata` entries. */
  addJson(user: string, metadata: string[]): void {
    this.users.push(user);
    for (const entry of metadata) this.metadata.push(entry);
    this.metadataCounts.push(metadata.length);
  }

  /** The users added so far as `addJson` takes them back (to keep a body across a restart). */
  snapshot(): [user: string, metadata: string[]][] {
    let next = 0;
    return this.metadataCounts.map((count, i) => {
      const metadata: string[] = [];
      for (const end = next + count; next < end; next++) metadata.push(this.metadata.piece(next));
      return [this.users.piece(i), metadata];
    });
  }

  /** The body of the records added so far (with `suffix` after it), in parts to write in order; starts over empty. */
  takeParts(suffix = ''): Buffer[] {
    const { orgId, orgName } = this.org;
    const orgField = orgName ? `,"org":${JSON.stringify({ name: orgName })}` : '';
    const parts = [
      Buffer.from(`{"dataOrgs":{"orgs":[{"orgId":${JSON.stringify(orgId)}${orgField},"humanUsers":[`),
      this.users.bytes(),
      Buffer.from('],"userMetadata":['),
      this.metadata.bytes(),
      Buffer.from(`]}]},"timeout":${JSON.stringify(this.timeout)}}${suffix}`),
    ];
    // The parts are handed out (no body-sized copy to join them): the next body gets new
    // buffers, a little larger than this one's so they seldom grow.
    this.users = new ByteList(roomFor(this.users.length));
    this.metadata = new ByteList(roomFor(this.metadata.length));
    this.metadataCounts = [];
    return parts;
  }
}

/** The whole request body, with ZITADEL's required Go-duration `timeout`. */
export function buildImportRequest(records: ZitadelUserRecord[], org: ImportOrg, timeout: string): ImportDataRequest {
  return { dataOrgs: { orgs: [buildImportOrg(records, org)] }, timeout };
}
