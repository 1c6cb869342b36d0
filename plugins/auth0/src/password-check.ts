// The password export is checked before anything is written. A wrong file (still PGP-encrypted,
// another tenant's, keys spelled in a way not read, empty) would otherwise import every user
// without a hash, and the hashes could never be added afterwards: the users exist by then.
//
// The check compares what the file promises with what it delivers to the first `sampleSize`
// database users (`auth0|…` profiles of the connections read):
// - promised: the file's records (unreadable ones included: they were meant to be records) of the
//   connections read; a file that covers only some connections promises nothing for the others,
//   and a small file promises no more users than it has records;
// - delivered: sampled users whose id (or, with `joinBy: email`, email) finds a record with a hash.
// The run stops when fewer than `minShare` of min(promised, sampled users it covers) got a hash.

import { open } from 'node:fs/promises';
import { FatalError } from '@idflow/engine';
import { missingPasswordCause, profileConnection } from './password-status.js';
import type { Auth0Profile } from './record.js';
import { firstInvalidUtf8 } from './utf8-check.js';

export interface PasswordCheckConfig {
  /** Least share of the promised hashes that must join (0 turns the check off). */
  minShare?: number;
  /** Database users (in profile-file order) the share is measured on. */
  sampleSize?: number;
}

export const defaultPasswordCheck: Required<PasswordCheckConfig> = { minShare: 0.5, sampleSize: 10_000 };

/** What reading the password export found, as far as the check needs it. */
export class PasswordFileTally {
  records = 0;
  unreadable = 0;
  firstUnreadable: { line: number; reason: string } | undefined;
  /** Readable records by connection ('' for records without one). */
  readonly byConnection = new Map<string, number>();
  /** Readable records with a non-empty hash. */
  hashed = 0;
  firstId: string | undefined;
  /** The key names of the first readable record (never its values). */
  firstKeys: string[] | undefined;

  /** Notes a record that was read: its join key, connection, whether it has a hash, and its key names. */
  read(key: string, connection: string | undefined, hashed: boolean, keyNames: () => string[]): void {
    this.records++;
    if (hashed) this.hashed++;
    this.firstId ??= key;
    this.firstKeys ??= keyNames();
    const name = connection ?? '';
    this.byConnection.set(name, (this.byConnection.get(name) ?? 0) + 1);
  }

  /** Notes a record that could not be read, at `line`, and why. */
  refused(line: number, reason: string): void {
    this.records++;
    this.unreadable++;
    this.firstUnreadable ??= { line, reason };
  }
}

/** What the sample of database users found. */
export interface CoverageSample {
  /** Database users looked at. */
  sampled: number;
  /** Those in a connection the file has records for. */
  covered: number;
  /** Those of `covered` that got a hash. */
  joined: number;
  firstUserId?: string;
}

/**
 * Looks at the first `sampleSize` database users of `profiles` (batches in file order), restricted
 * to `connections` when set; `withHash` answers, for a batch, which of them would get a hash.
 */
export async function sampleCoverage(
  profiles: AsyncIterable<Auth0Profile[]>,
  withHash: (batch: Auth0Profile[]) => boolean[],
  tally: PasswordFileTally,
  sampleSize: number,
  connections: ReadonlySet<string> | undefined,
): Promise<CoverageSample> {
  const sample: CoverageSample = { sampled: 0, covered: 0, joined: 0 };
  // Records without a connection (or no readable record at all) may belong to any user.
  const coversAll = tally.byConnection.size === 0 || tally.byConnection.has('');
  for await (const batch of profiles) {
    const covered: Auth0Profile[] = [];
    for (const profile of batch) {
      if (sample.sampled >= sampleSize) break;
      if (missingPasswordCause(profile) !== 'missing') continue;
      const connection = profileConnection(profile);
      if (connections && (connection === undefined || !connections.has(connection))) continue;
      sample.sampled++;
      sample.firstUserId ??= profile.user_id;
      if (coversAll || (connection !== undefined && tally.byConnection.has(connection))) covered.push(profile);
    }
    sample.covered += covered.length;
    if (covered.length > 0) sample.joined += withHash(covered).filter(Boolean).length;
    if (sample.sampled >= sampleSize) break;
  }
  return sample;
}

/** Records the file holds for the connections read (unreadable ones count: they were meant to be records). */
function promisedRecords(tally: PasswordFileTally, connections: ReadonlySet<string> | undefined): number {
  let promised = tally.unreadable;
  for (const [connection, count] of tally.byConnection) if (!connections || connection === '' || connections.has(connection)) promised += count;
  return promised;
}

function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10} %`;
}

/** What the first bytes of a file say when it is not JSON text at all. */
export async function describeNonJson(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1').startsWith('-----BEGIN PGP MESSAGE-----')) return 'the file is an ASCII-armored PGP message: decrypt it first (gpg --decrypt)';
  const first = head[0];
  if (first !== undefined && first & 0x80) {
    // OpenPGP packet header: new format (0b11tttttt) or old format (0b10ttttll); an encrypted
    // message starts with a session-key packet: tag 1 (public-key) or 3 (symmetric).
    const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
    if (tag === 1 || tag === 3) return 'the file looks OpenPGP-encrypted (binary packets): decrypt it first (gpg --decrypt)';
  }
  // A NUL, or bytes that are not UTF-8 (a character cut at the end of the sample aside).
  if (head.includes(0) || firstInvalidUtf8(head, 0, Math.max(0, head.length - 3)) !== -1) return 'the file is binary, not JSON text';
  return undefined;
}

/** Stops the run (FatalError, exit 1) when the sample shows the password export is not what it promises. */
export async function checkPasswordCoverage(args: {
  /** The file as the pipeline names it, and its resolved path. */
  file: string;
  path: string;
  tally: PasswordFileTally;
  sample: CoverageSample;
  minShare: number;
  connections: ReadonlySet<string> | undefined;
  /** Where the check is configured, for the message (e.g. `source.with.passwordCheck`). */
  settingsPath: string;
  /** Joined by id only (an email join may help when the ids differ). */
  idOnly: boolean;
}): Promise<void> {
  const { file, tally, sample, minShare, connections } = args;
  if (minShare <= 0 || sample.sampled === 0) return;
  const promised = promisedRecords(tally, connections);
  const expected = Math.min(sample.covered, promised);
  let why: string;
  if (tally.records === 0) why = 'the file holds no records (it is empty)';
  else if (promised === 0) why = `the file holds no record for the connections read (${[...connections!].join(', ')}); its records are for ${[...tally.byConnection.keys()].join(', ')}`;
  else if (sample.joined >= minShare * expected) return;
  else why = `far below what the file promises (${promised} records: at least ${percent(minShare, 1)} of the ${expected} users it could cover): ${await diagnose(args)}`;
  throw new FatalError(
    `password export ${file}: only ${sample.joined} of the first ${sample.sampled} database users got a password hash (${percent(sample.joined, sample.sampled)}), ${why}. ` +
      `Nothing was written. Check that it is this tenant's decrypted password export, or set ${args.settingsPath}.minShare to 0 to migrate without this check.`,
    'PASSWORD_FILE_UNUSABLE',
  );
}

/** Why a file with records joined so few: none readable (and what the file is instead), or ids that match no profile. */
async function diagnose(args: { file: string; path: string; tally: PasswordFileTally; sample: CoverageSample; idOnly: boolean }): Promise<string> {
  const { file, tally, sample } = args;
  const first = tally.firstUnreadable ? `the first unparseable record is at ${file}:${tally.firstUnreadable.line}: ${tally.firstUnreadable.reason}` : undefined;
  const readable = tally.records - tally.unreadable;
  if (readable === 0) {
    const kind = await describeNonJson(args.path);
    return `none of its ${tally.records} records could be read; ${first}${kind ? `; ${kind}` : ''}`;
  }
  if (tally.hashed === 0) {
    const keys = tally.firstKeys?.join(', ') ?? '';
    return `none of its ${readable} readable records has a hash under passwordHash or password_hash (the first one's keys: ${keys})`;
  }
  let ids = `${readable} of its ${tally.records} records were read, but few of their ids match a profile (its first id ${tally.firstId}, the first database user ${sample.firstUserId})`;
  if (args.idOnly) ids += '; if the ids differ on purpose (a custom database), joinBy: email may match them';
  return first ? `${ids}; ${first}` : ids;
}
