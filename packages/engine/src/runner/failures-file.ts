// failures.csv: one line per refused record — user id, e-mail, stage, reason, origin — to share
// with the people who fix the data: no record, no hash (reasons pass through hideSecrets), cells
// guarded against CSV injection. It is written beside the dead-letter file, line for line with
// it, and cut back with it on resume; the dead-letter file keeps the full records for replay.

import { csvLine } from '../report/csv-line.js';
import { hideSecrets } from '../report/hide-secrets.js';
import { userIdentityOf } from '../report/user-identity.js';
import { CsvListFile } from './csv-list-file.js';

export const FAILURES_COLUMNS = ['user id', 'e-mail', 'stage', 'reason', 'origin'] as const;

export class FailuresFile extends CsvListFile {
  /** `path` undefined (no dead-letter output): nothing is written. */
  constructor(path: string | undefined) {
    super(path, { what: 'failures file', code: 'FAILURES', setting: 'dlq.path' }, FAILURES_COLUMNS);
  }

  /** One refused record; `record` and `detail` as in its dead-letter line. */
  add(stage: string, reason: string, origin: string, record: unknown, detail: { [key: string]: unknown } | undefined): void {
    if (!this.isOpen) return;
    const user = userIdentityOf(record, detail);
    this.append(csvLine([user.id, user.email, stage, hideSecrets(reason), origin]));
  }
}
