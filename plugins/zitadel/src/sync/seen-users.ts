// The ids the source held in this sync run, for `onMissing`. A real run keeps them in the ledger
// under a run id that the checkpoint carries (`checkpointState`), so a resumed run still knows the
// users the interrupted one saw; `idflow diff` keeps them in memory (it is never resumed).
import { randomUUID } from 'node:crypto';
import type { SyncLedger } from './sync-ledger.js';

export interface SeenUsers {
  /** The run these marks belong to (saved in the checkpoint). */
  readonly run: string;
  mark(userIds: readonly string[]): void;
  has(userId: string): boolean;
  count(): number;
  /** `auth0|`, `google-oauth2|`…: the prefixes (up to the first `|`) of the ids seen. */
  idPrefixes(): string[];
}

export class LedgerSeenUsers implements SeenUsers {
  constructor(
    private readonly ledger: SyncLedger,
    readonly run: string = randomUUID(),
  ) {}

  mark(userIds: readonly string[]): void {
    this.ledger.markSeen(userIds, this.run);
  }

  has(userId: string): boolean {
    return this.ledger.wasSeen(userId, this.run);
  }

  count(): number {
    return this.ledger.seenCount(this.run);
  }

  idPrefixes(): string[] {
    return this.ledger.seenIdPrefixes(this.run);
  }
}

export class MemorySeenUsers implements SeenUsers {
  readonly run = randomUUID();
  private readonly ids = new Set<string>();

  mark(userIds: readonly string[]): void {
    for (const id of userIds) this.ids.add(id);
  }

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  count(): number {
    return this.ids.size;
  }

  idPrefixes(): string[] {
    const prefixes = new Set<string>();
    for (const id of this.ids) {
      const bar = id.indexOf('|');
      if (bar > 0) prefixes.add(id.slice(0, bar + 1));
    }
    return [...prefixes];
  }
}
