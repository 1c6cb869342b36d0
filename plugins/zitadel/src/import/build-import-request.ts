// ZitadelUserRecord → the Admin API bulk import body (`POST /admin/v1/import`, dataOrgs shape,
// the same shape zitadel-tools writes).
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

/**
 * A request body built one record at a time: `add` keeps only each record's JSON as UTF-8 bytes, so
 * the records themselves can be dropped at once (most then die young, which keeps memory and
 * garbage collection small), and no body-sized string is ever built or encoded. The bytes `take()`
 * answers are exactly `JSON.stringify(buildImportRequest(records, org, timeout))`.
 */
export class ImportBodyText {
  private users: Buffer[] = [];
  private metadata: Buffer[] = [];
  /** How many metadata entries each user has, in order. */
  private metadataCounts: number[] = [];
  private bytes = 0;

  constructor(
    private readonly org: ImportOrg,
    private readonly timeout: string,
  ) {}

  get size(): number {
    return this.users.length;
  }

  add(record: ZitadelUserRecord): void {
    this.addJson(JSON.stringify(humanUserEntry(record)), metadataEntries(record).map((entry) => JSON.stringify(entry)));
  }

  /** Adds one user given as the JSON of its `humanUsers` entry and of its `userMetadata` entries. */
  addJson(user: string, metadata: string[]): void {
    this.push(this.users, user);
    for (const entry of metadata) this.push(this.metadata, entry);
    this.metadataCounts.push(metadata.length);
  }

  /** The users added so far as `addJson` takes them back (to keep a body across a restart). */
  snapshot(): [user: string, metadata: string[]][] {
    const json = (bytes: Buffer) => bytes.toString('utf8', bytes[0] === 0x2c ? 1 : 0);
    let next = 0;
    return this.users.map((user, i) => [json(user), this.metadata.slice(next, (next += this.metadataCounts[i])).map(json)]);
  }

  /** The body of the records added so far (with `suffix` after it); starts over empty. */
  take(suffix = ''): Buffer {
    const { orgId, orgName } = this.org;
    const orgField = orgName ? `,"org":${JSON.stringify({ name: orgName })}` : '';
    const head = Buffer.from(`{"dataOrgs":{"orgs":[{"orgId":${JSON.stringify(orgId)}${orgField},"humanUsers":[`);
    const middle = Buffer.from('],"userMetadata":[');
    const tail = Buffer.from(`]}]},"timeout":${JSON.stringify(this.timeout)}}${suffix}`);
    const parts = [head, ...this.users, middle, ...this.metadata, tail];
    const body = Buffer.concat(parts, head.length + this.bytes + middle.length + tail.length);
    this.users = [];
    this.metadata = [];
    this.metadataCounts = [];
    this.bytes = 0;
    return body;
  }

  private push(list: Buffer[], json: string): void {
    const bytes = Buffer.from(list.length === 0 ? json : `,${json}`);
    list.push(bytes);
    this.bytes += bytes.length;
  }
}

/** The whole request body, with ZITADEL's required Go-duration `timeout`. */
export function buildImportRequest(records: ZitadelUserRecord[], org: ImportOrg, timeout: string): ImportDataRequest {
  return { dataOrgs: { orgs: [buildImportOrg(records, org)] }, timeout };
}
