// Where a run's time went, for the report: setup (lock, open the stages, preflight, checkpoint),
// the source preparing (e.g. indexing a password export before the first user comes out), reading
// and delivering, and finishing (the last batches, the checkpoint, closing). A phase the run never
// reached is left out.

import type { RunTiming } from '../pipeline.js';

export class RunTimings {
  private setupEndMs: number | undefined;
  private firstRecordMs: number | undefined;
  private sourceEndMs: number | undefined;

  constructor(private readonly startMs: number) {}

  /** The stages are open and checked: reading starts. */
  setupDone(nowMs: number): void {
    this.setupEndMs ??= nowMs;
  }

  /** The source has yielded its first record (noticed at the next progress tick). */
  firstRecord(nowMs: number): void {
    this.firstRecordMs ??= nowMs;
  }

  get sawFirstRecord(): boolean {
    return this.firstRecordMs !== undefined;
  }

  /** The pump stopped pulling the source (exhausted or stopping). */
  sourceDone(nowMs: number): void {
    this.sourceEndMs ??= nowMs;
  }

  timings(endMs: number): RunTiming[] {
    const phases: RunTiming[] = [];
    let from = this.startMs;
    const add = (phase: RunTiming['phase'], until: number | undefined) => {
      if (until === undefined) return;
      phases.push({ phase, ms: Math.max(0, Math.round(until - from)) });
      from = until;
    };
    add('setup', this.setupEndMs ?? endMs);
    if (this.setupEndMs === undefined) return phases;
    add('source preparing', this.firstRecordMs ?? this.sourceEndMs ?? endMs);
    if (this.firstRecordMs !== undefined) add('reading and delivering', this.sourceEndMs ?? endMs);
    add('finishing', endMs);
    return phases;
  }
}
