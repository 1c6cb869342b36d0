// Groups transformed records into batches by the sink's BatchPolicy: at most `maxRecords`, at most
// about `maxBytes`, and no older than `lingerMs` when the source is slow. Arrays of delivered
// batches are reused, so a million-record copy allocates a handful of them, not a thousand.

import type { BatchPolicy, RecordEnvelope } from '../plugin.js';

/** A batch on its way to the sink, with each record as the source read it (for the dead-letter output). */
export interface Batch {
  records: RecordEnvelope[];
  originals: unknown[];
  bytes: number;
}

export const DEFAULT_LINGER_MS = 1000;

export class BatchBuilder {
  private current: Batch;
  private readonly spare: Batch[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly lingerMs: number;
  private readonly sizeOf: ((data: unknown) => number) | undefined;

  /**
   * `emit` receives each full batch; `onLinger` is told when a partial batch has waited `lingerMs`
   * (the owner decides when there is room to send it, through `takePartial`).
   */
  constructor(
    policy: BatchPolicy,
    private readonly emit: (batch: Batch) => void,
    private readonly onLinger: () => void,
  ) {
    this.maxRecords = Math.max(1, Math.floor(policy.maxRecords));
    this.maxBytes = policy.maxBytes && policy.maxBytes > 0 ? policy.maxBytes : Number.POSITIVE_INFINITY;
    this.lingerMs = policy.lingerMs ?? DEFAULT_LINGER_MS;
    this.sizeOf = policy.sizeOf ?? (Number.isFinite(this.maxBytes) ? jsonLength : undefined);
    this.current = this.newBatch();
  }

  /** Adds a record; emits the batch when it is full (a record too big for `maxBytes` travels alone). */
  add(record: RecordEnvelope, original: unknown): void {
    const size = this.sizeOf ? this.sizeOf(record.data) : 0;
    const batch = this.current;
    if (batch.records.length > 0 && batch.bytes + size > this.maxBytes) this.emitCurrent();
    const target = this.current;
    target.records.push(record);
    target.originals.push(original);
    target.bytes += size;
    if (target.records.length === 1 && this.lingerMs > 0) this.startLinger();
    if (target.records.length >= this.maxRecords || target.bytes >= this.maxBytes) this.emitCurrent();
  }

  /** The partial batch, emitted now (after linger, or when the source ended or the run stops). */
  flush(): void {
    if (this.current.records.length > 0) this.emitCurrent();
  }

  /** Gives a delivered batch's arrays back for reuse. */
  recycle(batch: Batch): void {
    batch.records.length = 0;
    batch.originals.length = 0;
    batch.bytes = 0;
    if (this.spare.length < 4) this.spare.push(batch);
  }

  get pending(): number {
    return this.current.records.length;
  }

  dispose(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private emitCurrent(): void {
    this.dispose();
    const full = this.current;
    this.current = this.spare.pop() ?? this.newBatch();
    this.emit(full);
  }

  private startLinger(): void {
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.onLinger();
    }, this.lingerMs);
  }

  private newBatch(): Batch {
    return { records: [], originals: [], bytes: 0 };
  }
}

function jsonLength(data: unknown): number {
  return JSON.stringify(data)?.length ?? 0;
}
