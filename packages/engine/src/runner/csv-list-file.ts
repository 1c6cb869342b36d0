// A CSV list beside the dead-letter file (failures.csv, warnings.csv): an append-only file with a
// header line, cut back with the dead-letter file on resume (append-only-file.ts).

import { csvLine } from '../report/csv-line.js';
import { AppendOnlyFile, type AppendOnlyFileLabel } from './append-only-file.js';

export class CsvListFile {
  private readonly file: AppendOnlyFile;

  /** `path` undefined (no dead-letter output): nothing is written. */
  constructor(
    readonly path: string | undefined,
    label: AppendOnlyFileLabel,
    private readonly columns: readonly string[],
  ) {
    this.file = new AppendOnlyFile(path, label);
  }

  /** Creates the file with its header, or keeps `keepBytes` of it on resume. */
  open(keepBytes: number | undefined): void {
    if (this.file.open(keepBytes)) this.file.append(csvLine(this.columns));
  }

  protected get isOpen(): boolean {
    return this.file.isOpen;
  }

  /** Appends lines made by `csvLine`. */
  protected append(lines: string): void {
    this.file.append(lines);
  }

  get bytes(): number {
    return this.file.bytes;
  }

  sync(): Promise<void> {
    return this.file.sync();
  }

  close(): void {
    this.file.close();
  }
}
