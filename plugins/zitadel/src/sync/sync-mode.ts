// What both ZITADEL API sinks (`zitadel-users`, `zitadel-import`) share for sync: the `with:` keys
// `onExisting`, `onMissing`, `idPrefix` and `syncLedger`, the ledger of what was sent (sync-ledger.ts),
// the split of a batch into users to create and users to compare, and the end-of-run step for
// missing users. Under `idflow diff` (ctx.diffPath) everything is compared and nothing written.
import { resolve } from 'node:path';
import type { PluginContext, SinkFinishInfo, SinkFinishResult, SinkOutcome, SinkTarget } from '@idflow/engine';
import type { V2User, ZitadelUserRecord } from '@idflow/zitadel-model';
import type { Onboarding } from '../onboarding/onboarding.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import type { PacedCaller } from '../users/paced-caller.js';
import { DiffWriter } from './diff-writer.js';
import { type OnMissing, settleMissingUsers } from './missing-users.js';
import { LedgerSeenUsers, MemorySeenUsers, type SeenUsers } from './seen-users.js';
import { SyncLedger, defaultLedgerPath } from './sync-ledger.js';
import { type Synced, UserSync } from './user-sync.js';

/** The sync keys of both sinks' `with:`. */
export interface SyncConfig {
  onExisting?: 'skip' | 'update';
  onMissing?: OnMissing;
  idPrefix?: string;
  syncLedger?: string;
}

export const syncSchema = {
  onExisting: {
    type: 'string',
    enum: ['skip', 'update'],
    description:
      'A user whose id already exists: skip (default: counted as present, nothing changes) or update (read it and send only what differs: profile, e-mail, phone, password hash, metadata, state, IdP links). See `idflow diff` to preview.',
  },
  onMissing: {
    type: 'string',
    enum: ['list', 'deactivate'],
    description:
      'With onExisting: update (or when set): users of this pipeline in the org that the export no longer holds are listed in missing.ndjson beside the report (list, default) or also deactivated (deactivate). Never deleted.',
  },
  idPrefix: {
    type: 'string',
    minLength: 1,
    description: 'Which of the org\'s users belong to this pipeline for onMissing: ids starting with this (default: the prefixes up to "|" of the export\'s ids, e.g. "auth0|").',
  },
  syncLedger: {
    type: 'string',
    'x-idflow': 'output-path',
    description:
      'SQLite file (mode 0600) recording, per target (URL + org) and user, a salted fingerprint of the last password hash ZITADEL confirmed and the metadata keys idflow set: ZITADEL never returns hashes. Default: $IDFLOW_STATE_DIR, else $XDG_STATE_HOME/idflow, else ~/.local/state/idflow, file sync-ledger.sqlite.',
  },
} as const;

export interface SyncModeOptions {
  orgId: string;
  onboarding: Onboarding;
  policy: RetryPolicy;
  signal: AbortSignal;
}

/** What the checkpoint keeps of a sync run. */
interface SyncCheckpoint {
  syncRun: string;
  seen: number;
}

/** Creates new users through `create` and brings existing ones up to date (or describes it, in a diff). */
export type CreateUsers = (records: ZitadelUserRecord[]) => Promise<SinkOutcome[]>;

export class SyncMode {
  /** Existing users are compared (onExisting: update, or `idflow diff`). */
  readonly comparing: boolean;
  readonly sync: UserSync;
  private readonly ledger: SyncLedger;
  private readonly diff?: DiffWriter;
  /** Set when missing users are looked for at the end. */
  private seen?: SeenUsers;
  /**
   * Missing users are looked for (onExisting: update, onMissing set, or a diff). Only then does the
   * sink carry `checkpointState`: the runner pauses writes for each checkpoint of a sink that has it.
   */
  readonly tracksMissing: boolean;

  constructor(
    private readonly config: SyncConfig,
    private readonly ctx: PluginContext,
    private readonly caller: PacedCaller,
    target: SinkTarget,
    private readonly options: SyncModeOptions,
  ) {
    const path = config.syncLedger ? resolve(ctx.baseDir, config.syncLedger) : defaultLedgerPath();
    this.ledger = new SyncLedger(path, JSON.stringify(target.fields), ctx.diffPath !== undefined);
    this.diff = ctx.diffPath ? new DiffWriter(ctx.diffPath) : undefined;
    this.comparing = config.onExisting === 'update' || this.diff !== undefined;
    this.tracksMissing = this.comparing || config.onMissing !== undefined;
    this.sync = new UserSync(caller, ctx, this.ledger, { onboarding: options.onboarding, policy: options.policy, signal: options.signal, preview: this.diff !== undefined });
    ctx.log('info', 'sync ledger', { path, onExisting: config.onExisting ?? 'skip', onMissing: config.onMissing ?? 'list', diff: this.diff !== undefined });
  }

  /** Picks up the sync run of the checkpoint; a ledger that lost that run's marks turns missing users off. */
  open(state: unknown): void {
    if (!this.tracksMissing) return;
    if (this.diff) {
      this.seen = new MemorySeenUsers();
      return;
    }
    const saved = state as Partial<SyncCheckpoint> | undefined;
    if (!saved?.syncRun) {
      this.seen = new LedgerSeenUsers(this.ledger);
      return;
    }
    const seen = new LedgerSeenUsers(this.ledger, saved.syncRun);
    if (seen.count() < (saved.seen ?? 0)) {
      this.ctx.warn(`the sync ledger ${this.ledger.path} no longer holds the users this run saw before it was interrupted: missing users will not be looked for`);
      return;
    }
    this.seen = seen;
  }

  /** Adds `checkpointState` to `sink` when a sync run id must travel in the checkpoint. */
  attachCheckpointState<S extends { checkpointState?: () => Promise<unknown> }>(sink: S): S {
    if (this.tracksMissing && !this.diff) sink.checkpointState = async () => this.checkpointState();
    return sink;
  }

  checkpointState(): SyncCheckpoint | undefined {
    return this.seen && !this.diff ? { syncRun: this.seen.run, seen: this.seen.count() } : undefined;
  }

  /** One batch: seen marks, then creates (through `create`) and comparisons, outcomes in order. */
  async deliver(records: ZitadelUserRecord[], create: CreateUsers): Promise<SinkOutcome[]> {
    this.seen?.mark(records.map((r) => r.userId));
    if (!this.comparing) return this.createAndRecord(records, create);
    const existing = await this.sync.readExisting(records.map((r) => r.userId));
    if ('unavailable' in existing) return records.map(() => ({ status: 'retryable', reason: existing.unavailable }));
    const synced = new Array<Synced>(records.length);
    const fresh: number[] = [];
    const compared = records.map(async (record, i) => {
      const user = existing.found.get(record.userId);
      if (!user) fresh.push(i);
      else synced[i] = await this.compareExisting(record, user);
    });
    await Promise.all(compared);
    if (this.diff) for (const i of fresh) synced[i] = this.sync.wouldCreate(records[i]);
    else if (fresh.length > 0) {
      const answers = await this.createAndRecord(
        fresh.map((i) => records[i]),
        create,
      );
      await Promise.all(
        answers.map(async (answer, k) => {
          // Created by someone (or a crashed run) between the read and the create: compare it now.
          synced[fresh[k]] = answer.status === 'present' ? await this.comparePresent(records[fresh[k]]) : { outcome: answer };
        }),
      );
    }
    if (this.diff) {
      for (const { line } of synced) if (line) this.diff.line(line);
      this.diff.flush();
    }
    return synced.map((s) => s.outcome);
  }

  private async compareExisting(record: ZitadelUserRecord, user: V2User): Promise<Synced> {
    if (user.username.toLowerCase() !== record.user.userName.toLowerCase()) {
      return { outcome: { status: 'rejected', reason: `user id already used in ZITADEL by userName ${user.username} (sync does not rename users)` } };
    }
    return this.sync.syncExisting(record, user);
  }

  private async comparePresent(record: ZitadelUserRecord): Promise<Synced> {
    const read = await this.sync.readExisting([record.userId]);
    if ('unavailable' in read) return { outcome: { status: 'retryable', reason: read.unavailable } };
    const user = read.found.get(record.userId);
    return user ? this.compareExisting(record, user) : { outcome: { status: 'retryable', reason: 'answered "already exists" but could not be read back' } };
  }

  /** Creates `records`; the hashes they carry are pending until the target confirms them. */
  private async createAndRecord(records: ZitadelUserRecord[], create: CreateUsers): Promise<SinkOutcome[]> {
    if (this.diff) {
      const previews = records.map((record) => this.sync.wouldCreate(record));
      for (const { line } of previews) if (line) this.diff.line(line);
      return previews.map((p) => p.outcome);
    }
    this.ledger.inTransaction(() => {
      for (const record of records) this.sync.creating(record);
    });
    const outcomes = await create(records);
    this.ledger.inTransaction(() => {
      for (const [i, outcome] of outcomes.entries()) if (outcome.status === 'written') this.sync.created(records[i]);
    });
    return outcomes;
  }

  /** After a complete run: the users the export no longer holds. */
  async finish(info: SinkFinishInfo): Promise<SinkFinishResult | undefined> {
    if (!this.seen) return undefined;
    return settleMissingUsers(
      this.caller,
      this.sync,
      this.seen,
      this.ctx,
      { orgId: this.options.orgId, onMissing: this.config.onMissing ?? 'list', idPrefix: this.config.idPrefix, policy: this.options.policy, signal: this.options.signal, diff: this.diff },
      info,
    );
  }

  close(): void {
    this.diff?.close();
    this.ledger.close();
  }
}
