// The report's before/after sample: a few users as the source gave them and as they went to the
// target, masked (no hash, no full e-mail: see hide-secrets.ts). Taken at the 1st, 2nd, 4th, 8th…
// user to pass every transform, keeping the last few: spread over the whole run, bounded, and one
// integer comparison per record on the hot path.

import { maskRecord } from '../report/hide-secrets.js';
import type { Origin } from '../plugin.js';
import { formatOrigin } from './dead-letter-writer.js';

export interface SampledUser {
  /** `file:line`. */
  origin: string;
  before: unknown;
  after: unknown;
}

export const SAMPLE_SIZE = 4;

export class RecordSample {
  /** The pump offers the record whose transformed count equals this. */
  nextAt = 1;
  private readonly kept: SampledUser[] = [];

  constructor(private readonly size = SAMPLE_SIZE) {}

  /** Keeps this user (masked now: the records may change after). */
  keep(origin: Origin, before: unknown, after: unknown): void {
    this.nextAt *= 2;
    this.kept.push({ origin: formatOrigin(origin), before: maskRecord(before), after: maskRecord(after) });
    if (this.kept.length > this.size) this.kept.shift();
  }

  get users(): SampledUser[] {
    return [...this.kept];
  }
}
