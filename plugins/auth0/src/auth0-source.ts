// The `auth0` source: indexes the password export, then streams the profile export and yields
// one Auth0UserRecord per profile, joined by id (and optionally by email). Whatever cannot be
// joined or read is yielded as a located rejection: malformed lines, duplicate ids, and at the
// end, password records without a profile (orphans), in password-file order.
//
// Order of what `read` yields (stable, so `resumeAfter` works): profiles in file order, then the
// password file's rejections in line order. Nothing is yielded before the password file has
// passed its check (password-check.ts): a wrong file stops the run before any user is written.

import { resolve } from 'node:path';
import { metricNames, type Origin, type PluginContext, type Rejection, type Source, type SourceItem } from '@idflow/engine';
import type { Auth0SourceConfig } from './config.js';
import { defaultSpillThreshold } from './config.js';
import { DuplicateKeyWarnings } from './duplicate-key-warnings.js';
import { EmailFallback } from './email-fallback.js';
import { openPasswords, openProfiles } from './export-reader.js';
import { fingerprintFiles } from './fingerprint.js';
import type { OpenedInput } from './input-file.js';
import { type ClaimTicket, JoinIndex, type ProfileClaim, type StoredPassword } from './join-index.js';
import { linkedDatabaseIdentities, sameConnection } from './linked-identity.js';
import { estimateRecords } from './record-estimate.js';
import type { ParsedItem } from './parsed-item.js';
import { checkPasswordCoverage, defaultPasswordCheck, PasswordFileTally, sampleCoverage } from './password-check.js';
import { parsePasswordRecord } from './password-record.js';
import { missingPasswordCause, profileConnection } from './password-status.js';
import type { Auth0Password, Auth0Profile, Auth0UserRecord } from './record.js';

type Item = SourceItem<Auth0UserRecord>;

/**
 * V8 quotes the offending text in JSON.parse errors (`, "…" is not valid JSON`, with `...` on
 * either side when it quotes a window); it may hold a hash, so it is cut off.
 */
export function parserReason(message: string): string {
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/ \(at line \d+\)$/, '');
}

/** `no-password.<cause>`. */
const noPasswordMetric = metricNames('no-password.');

/** Counters kept locally and flushed to ctx.count once per batch (cheaper than per record). */
class Counters {
  private readonly values = new Map<string, number>();
  add(metric: string, by = 1): void {
    this.values.set(metric, (this.values.get(metric) ?? 0) + by);
  }
  flush(ctx: PluginContext): void {
    for (const [metric, value] of this.values) ctx.count(metric, value);
    this.values.clear();
  }
}

function duplicatePassword(key: string, password: Auth0Password, firstAt: string): Rejection {
  return { reason: 'duplicate password record', raw: password, detail: { id: key, email: password.email, firstAt } };
}

/** Where a malformed record is: its file and line, and the offset of a byte that is not text. */
function malformedDetail(file: string, parsed: ParsedItem): { [key: string]: unknown } {
  return parsed.byteOffset === undefined ? { file, line: parsed.line } : { file, line: parsed.line, byteOffset: parsed.byteOffset };
}

function isProfile(value: unknown): value is Auth0Profile {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Auth0Profile).user_id === 'string' && (value as Auth0Profile).user_id !== '';
}

export class Auth0Source implements Source<Auth0UserRecord> {
  private readonly profilesPath: string;
  private readonly passwordsPath: string | undefined;
  private readonly connections: Set<string> | undefined;
  private readonly opened = new Set<OpenedInput>();
  private profileInput: OpenedInput | undefined;
  /** Offset of the last profile handed on (or skipped on resume), in the decoded text. */
  private readonly position = { offset: 0 };
  private join: JoinIndex | undefined;
  private readonly duplicateKeys: DuplicateKeyWarnings;

  constructor(
    private readonly config: Auth0SourceConfig,
    private readonly ctx: PluginContext,
  ) {
    this.profilesPath = resolve(ctx.baseDir, config.profiles);
    // An empty path (`${AUTH0_PASSWORDS:-}` left unset) means no password export.
    this.passwordsPath = config.passwords ? resolve(ctx.baseDir, config.passwords) : undefined;
    this.connections = config.connections ? new Set(config.connections) : undefined;
    this.duplicateKeys = new DuplicateKeyWarnings(ctx);
  }

  /** Temp directories of the spilled join index while reading (tests check they are removed). */
  get storeDirs(): string[] {
    return this.join?.storeDirs ?? [];
  }

  async *read(options: { resumeAfter?: Origin }): AsyncGenerator<Item> {
    const { ctx, config } = this;
    const resumeAfter = options.resumeAfter;
    const resumeInProfiles = resumeAfter?.file === config.profiles;
    const resumeInPasswords = resumeAfter !== undefined && !!config.passwords && resumeAfter.file === config.passwords;
    const passwords = this.passwordsPath ? await estimateRecords(this.passwordsPath) : 0;
    const profiles = await estimateRecords(this.profilesPath);
    // Profile ids without a password record (social, passwordless…) are usually a small share.
    const expected = { passwords, profilesWithoutPassword: Math.max(profiles - passwords, Math.ceil(profiles / 10)) };
    const join = new JoinIndex(
      config.spillThreshold ?? defaultSpillThreshold,
      expected,
      (what, dir) => ctx.log('info', `join index for ${what} spilled to disk`, { dir }),
      ctx.tempDir,
    );
    this.join = join;
    const tally = new PasswordFileTally();
    const passwordItems = this.passwordsPath ? await this.indexPasswords(join, tally) : [];
    const email = config.joinBy === 'email' ? await EmailFallback.build(join, this.validProfiles()) : undefined;
    if (this.passwordsPath) await this.checkPasswordFile(join, email, tally);

    const counters = new Counters();
    const stream = await openProfiles(this.profilesPath, this.profileReadOptions());
    this.opened.add(stream.input);
    this.profileInput = stream.input;
    ctx.log('debug', 'reading profiles', { file: config.profiles, format: stream.format, gzip: stream.input.gzip });
    const file = config.profiles;
    // Each batch's claims are requested before the previous batch is resolved: with the join
    // index on disk, its lookups run in the store's thread while this one parses (see JoinIndex).
    let previous: { batch: ParsedItem[]; ticket: ClaimTicket } | undefined;
    const resolveProfile = this.resolveProfile.bind(this);
    const position = this.position;
    function* resolveBatch({ batch, ticket }: { batch: ParsedItem[]; ticket: ClaimTicket }): Generator<Item> {
      const claims = join.takeClaims(ticket);
      let next = 0;
      for (const parsed of batch) {
        const skip = resumeInPasswords || (resumeInProfiles && parsed.offset <= resumeAfter.offset);
        const claim = parsed.error === undefined && isProfile(parsed.value) ? claims[next++] : undefined;
        const item = resolveProfile(parsed, claim, file, email, counters, skip);
        position.offset = parsed.offset;
        if (item && !skip) yield item;
      }
      counters.flush(ctx);
    }
    for await (const batch of stream.batches) {
      const ids: string[] = [];
      const lines: number[] = [];
      for (const parsed of batch) {
        if (parsed.error !== undefined || !isProfile(parsed.value)) continue;
        ids.push(parsed.value.user_id);
        lines.push(parsed.line);
      }
      const ticket = join.requestClaims(ids, lines);
      if (previous) yield* resolveBatch(previous);
      previous = { batch, ticket };
      // In memory the claims are answered at once: nothing to overlap, and resolving the batch now
      // keeps half as many parsed profiles alive.
      if ('claims' in ticket) {
        yield* resolveBatch(previous);
        previous = undefined;
      }
    }
    if (previous) yield* resolveBatch(previous);
    position.offset = stream.input.decodedBytes();
    stream.input.close();
    this.opened.delete(stream.input);

    for (const item of this.passwordFileItems(join, email, passwordItems, counters)) {
      if (resumeInPasswords && item.origin.offset <= resumeAfter.offset) continue;
      // A password line is not a user: the runner counts it apart from the users read.
      yield item.reject ? { ...item, auxiliary: true } : item;
    }
    counters.flush(ctx);
  }

  private profileReadOptions() {
    return { format: this.config.format ?? 'auto', fields: this.config.fields, encoding: this.config.encoding };
  }

  /** Stops the run (FatalError) before anything is yielded when the password file does not deliver what it promises. */
  private async checkPasswordFile(join: JoinIndex, email: EmailFallback | undefined, tally: PasswordFileTally): Promise<void> {
    const settings = { ...defaultPasswordCheck, ...this.config.passwordCheck };
    if (settings.minShare <= 0) return;
    const withHash = (profiles: Auth0Profile[]): boolean[] =>
      join.findPasswords(profiles.map((profile) => profile.user_id)).map((stored, i) => {
        const found = stored ?? email?.candidate(profiles[i]);
        return found !== undefined && found.password.hash !== '';
      });
    const sample = await sampleCoverage(this.validProfileBatches(), withHash, tally, settings.sampleSize, this.connections);
    this.ctx.log('debug', 'password export checked', { file: this.config.passwords, ...sample, records: tally.records, unparseable: tally.unreadable });
    await checkPasswordCoverage({
      file: this.config.passwords!,
      path: this.passwordsPath!,
      tally,
      sample,
      minShare: settings.minShare,
      connections: this.connections,
      settingsPath: 'source.with.passwordCheck',
      idOnly: this.config.joinBy !== 'email',
    });
  }

  private resolveProfile(
    parsed: ParsedItem,
    claim: ProfileClaim | undefined,
    file: string,
    email: EmailFallback | undefined,
    counters: Counters,
    skip: boolean,
  ): Item | undefined {
    const origin: Origin = { file, line: parsed.line, offset: parsed.offset };
    if (parsed.error !== undefined) {
      if (!skip) counters.add('malformed.profiles');
      return { origin, reject: { reason: `malformed ${parsed.value === undefined ? 'record' : 'value'}: ${parserReason(parsed.error)}`, raw: parsed.excerpt, detail: malformedDetail(file, parsed) } };
    }
    if (parsed.duplicateKeys && !skip) {
      counters.add('duplicate-keys');
      this.duplicateKeys.note(parsed.duplicateKeys, origin);
    }
    const profile = parsed.value;
    if (!isProfile(profile) || !claim) {
      if (!skip) counters.add('malformed.profiles');
      return { origin, reject: { reason: 'profile without a user_id', raw: profile } };
    }
    if (claim.duplicateOfLine !== undefined) {
      if (!skip) counters.add('duplicates');
      return { origin, reject: { reason: 'duplicate user_id', raw: profile, detail: { user_id: profile.user_id, firstAt: `${file}:${claim.duplicateOfLine}` } } };
    }
    if (this.connections) {
      const connection = profileConnection(profile);
      if (connection === undefined || !this.connections.has(connection)) {
        if (!skip) counters.add('filtered');
        return undefined;
      }
    }
    // Also for skipped (resumed) profiles, so their linked records do not look orphaned.
    let stored = claim.stored ?? this.claimLinkedPassword(profile, parsed.line);
    if (stored && !claim.stored && !skip) counters.add('joined-by-linked-identity');
    if (!stored && email) {
      // Also for skipped (resumed) profiles: their email claims keep those records from looking orphaned.
      const match = email.match(profile, parsed.line);
      if (skip) return undefined;
      if (match && 'stored' in match) {
        stored = match.stored;
        counters.add('joined-by-email');
      } else if (match) {
        counters.add('ambiguous-email');
        this.ctx.warn(`ambiguous email match for ${profile.user_id}: ${match.ambiguous} (${match.candidates}); no password joined`, origin, 'ambiguous e-mail match');
      }
    }
    if (skip) return undefined;
    let record: Auth0UserRecord;
    if (stored && stored.password.hash !== '') {
      record = { profile, password: stored.password, passwordStatus: 'present' };
      counters.add('with-password');
    } else if (stored) {
      record = { profile, passwordStatus: 'empty-hash' };
      counters.add('no-password.empty-hash');
    } else {
      const cause = missingPasswordCause(profile);
      record = { profile, passwordStatus: cause };
      counters.add(noPasswordMetric(cause));
    }
    counters.add('users');
    return { origin, data: record };
  }

  /** The password record of the profile's linked database identity (see linked-identity.ts), claimed for it. */
  private claimLinkedPassword(profile: Auth0Profile, line: number): StoredPassword | undefined {
    for (const identity of linkedDatabaseIdentities(profile)) {
      const stored = this.join!.claimPassword(identity.key, line, (found) => sameConnection(identity, found.password));
      if (stored) return stored;
    }
    return undefined;
  }

  /** Reads the password export into the join index and `tally`; returns its rejections (malformed, duplicate). */
  private async indexPasswords(join: JoinIndex, tally: PasswordFileTally): Promise<Item[]> {
    const file = this.config.passwords!;
    const stream = await openPasswords(this.passwordsPath!, { encoding: this.config.passwordsEncoding });
    this.opened.add(stream.input);
    const rejects: Item[] = [];
    let read = 0;
    try {
      const origin = (parsed: ParsedItem): Origin => ({ file, line: parsed.line, offset: parsed.offset });
      for await (const batch of stream.batches) {
        for (const parsed of batch) {
          if (parsed.error !== undefined) {
            const reason = `malformed password record: ${parserReason(parsed.error)}`;
            tally.refused(parsed.line, parsed.byteOffset === undefined ? reason : `${reason} at byte offset ${parsed.byteOffset}`);
            rejects.push({ origin: origin(parsed), reject: { reason, raw: parsed.excerpt, detail: malformedDetail(file, parsed) } });
            continue;
          }
          if (parsed.duplicateKeys) {
            this.ctx.count('duplicate-keys.passwords');
            this.duplicateKeys.note(parsed.duplicateKeys, origin(parsed));
          }
          const result = parsePasswordRecord(parsed.value);
          if ('error' in result) {
            tally.refused(parsed.line, result.error);
            rejects.push({ origin: origin(parsed), reject: { reason: result.error, raw: parsed.value } });
            continue;
          }
          tally.read(result.key, result.password.connection, result.password.hash !== '', () => Object.keys(parsed.value as object));
          const firstLine = join.addPassword(result.key, result.password, parsed.line, parsed.offset, result.id);
          if (firstLine !== undefined) {
            rejects.push({ origin: origin(parsed), reject: duplicatePassword(result.key, result.password, `${file}:${firstLine}`) });
          }
          read++;
        }
      }
    } finally {
      stream.input.close();
      this.opened.delete(stream.input);
    }
    const late = join.sealPasswords();
    for (const duplicate of late) {
      const origin: Origin = { file, line: duplicate.line, offset: duplicate.offset };
      rejects.push({ origin, reject: duplicatePassword(duplicate.key, duplicate.password, `${file}:${duplicate.firstLine}`) });
    }
    // Merged with the orphans in line order at the end.
    if (late.length > 0) rejects.sort((a, b) => a.origin.line - b.origin.line);
    this.ctx.count('passwords', read);
    this.ctx.log('debug', 'password export indexed', { file, format: stream.format, encoding: stream.input.encoding, records: read, onDisk: join.spilled });
    return rejects;
  }

  /** Valid profiles of a pass over the profile file, a batch at a time (stopping early closes the file). */
  private async *validProfileBatches(): AsyncGenerator<Auth0Profile[]> {
    const stream = await openProfiles(this.profilesPath, this.profileReadOptions());
    this.opened.add(stream.input);
    try {
      for await (const batch of stream.batches) yield batch.map((item) => item.value).filter(isProfile);
    } finally {
      stream.input.close();
      this.opened.delete(stream.input);
    }
  }

  /** Valid profiles of a first pass (for the email fallback). */
  private async *validProfiles(): AsyncGenerator<Auth0Profile> {
    for await (const batch of this.validProfileBatches()) yield* batch;
  }

  /** Orphans, ambiguous and malformed password records, merged in password-file line order. */
  private *passwordFileItems(join: JoinIndex, email: EmailFallback | undefined, rejects: Item[], counters: Counters): Generator<Item> {
    const file = this.config.passwords;
    if (!file) return;
    let next = 0;
    for (const stored of join.unclaimedPasswords()) {
      while (next < rejects.length && rejects[next].origin.line < stored.line) {
        counters.add('malformed.passwords');
        yield rejects[next++];
      }
      const origin: Origin = { file, line: stored.line, offset: stored.offset };
      const connection = stored.password.connection;
      if (this.connections && (connection === undefined || !this.connections.has(connection))) {
        counters.add('filtered.passwords');
        continue;
      }
      const detail = { id: stored.key, email: stored.password.email };
      if (email?.ambiguousKeys.has(stored.key)) {
        counters.add('ambiguous-email.passwords');
        yield { origin, reject: { reason: 'ambiguous email match', raw: stored.password, detail } };
      } else {
        counters.add('orphans');
        yield { origin, reject: { reason: 'orphan password', raw: stored.password, detail } };
      }
    }
    while (next < rejects.length) {
      counters.add('malformed.passwords');
      yield rejects[next++];
    }
  }

  fingerprint(): Promise<string> {
    return fingerprintFiles(this.passwordsPath ? [this.profilesPath, this.passwordsPath] : [this.profilesPath]);
  }

  /**
   * The profile file's bytes read, scaled to the records handed on: reading runs ahead of them
   * (read-ahead, a parsed batch, and a slow target holding the runner back), by the whole file
   * when it is small, which would make the runner's estimate of the users in it far too low.
   */
  progress(): { done: number; total: number } | undefined {
    const input = this.profileInput;
    if (!input) return undefined;
    const raw = input.progress();
    const decoded = input.decodedBytes();
    const handedOn = decoded > 0 ? Math.min(1, this.position.offset / decoded) : 0;
    return { done: Math.round(raw.done * handedOn), total: raw.total };
  }

  async close(): Promise<void> {
    for (const input of this.opened) input.close();
    this.opened.clear();
    this.join?.close();
  }
}
