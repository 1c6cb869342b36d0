// The files that list what happened to records, beside the dead-letter output: the dead-letter
// file itself (full records, for replay), failures.csv (who was refused and why, shareable) and
// warnings.csv (whose data was changed). They open, grow, sync and are cut back on resume together,
// and the checkpoint names their three lengths.

import { listPathsOf } from '../config/pipeline-paths.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { FailuresFile } from './failures-file.js';
import type { RunTally } from './run-tally.js';
import { WarningsFile } from './warnings-file.js';

/** The lengths a checkpoint saves. */
export interface RecordFileLengths {
  dlqBytes: number;
  failuresBytes: number;
  warningsBytes: number;
}

export class RecordFiles {
  readonly dlq: DeadLetterWriter;
  readonly failures: FailuresFile;
  readonly warnings: WarningsFile;

  /** No `dlqPath`: nothing is written; refusals and warnings are still counted. */
  constructor(dlqPath: string | undefined, dryRun: boolean, tally: RunTally) {
    const lists = dlqPath ? listPathsOf(dlqPath, dryRun) : undefined;
    this.dlq = new DeadLetterWriter(dlqPath);
    this.failures = new FailuresFile(lists?.failuresPath);
    this.warnings = new WarningsFile(lists?.warningsPath, tally);
  }

  /** Creates the files, or cuts them back to what `saved` (a resumed run's checkpoint) names. */
  open(saved: Partial<RecordFileLengths> | undefined): void {
    // A checkpoint written before failures.csv and warnings.csv existed: they start over.
    this.dlq.open(saved ? (saved.dlqBytes ?? 0) : undefined);
    this.failures.open(saved?.failuresBytes);
    this.warnings.open(saved?.warningsBytes, saved !== undefined);
  }

  /** Read synchronously together with the acknowledgement snapshot. */
  lengths(): RecordFileLengths {
    return { dlqBytes: this.dlq.bytes, failuresBytes: this.failures.bytes, warningsBytes: this.warnings.bytes };
  }

  async sync(): Promise<void> {
    await Promise.all([this.dlq.sync(), this.failures.sync(), this.warnings.sync()]);
  }

  close(): void {
    this.warnings.finish();
    this.dlq.close();
    this.failures.close();
    this.warnings.close();
  }
}
