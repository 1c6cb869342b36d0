// Every warning of the run, counted by plugin and kind for the report and listed in warnings.csv —
// user id, e-mail, plugin, kind, message, origin — so each user whose data was changed (a field
// cut, a phone dropped…) can be found. Streamed to disk, never kept whole.
//
// A warning about a record is held until that record is acknowledged (delivered, refused), then
// written and counted: the checkpoint names the file's length with the acknowledgements, so a
// resumed run — which reads the unacknowledged records again and warns again — lists each
// warning once. Records in flight are bounded, so is what is held. A warning is about a record when
// it carries that record's origin: a transform's about the record it is applying to (the pump
// applies transforms to one record at a time), a source's about the record it yields next. Any
// other warning — a sink's, the runner's, one about a line that is not a record — is written at
// once. A resumed run's source repeats the warnings it gave while preparing (reading a password
// export before the first user): the run it resumes wrote those, so they are not written again.

import { csvLine } from '../report/csv-line.js';
import { hideSecrets } from '../report/hide-secrets.js';
import { userIdentityOf } from '../report/user-identity.js';
import type { Origin } from '../plugin.js';
import { CsvListFile } from './csv-list-file.js';
import { formatOrigin } from './dead-letter-writer.js';
import type { RunTally } from './run-tally.js';

export const WARNINGS_COLUMNS = ['user id', 'e-mail', 'plugin', 'kind', 'message', 'origin'] as const;

/** The kind of a warning that names none. */
export const UNLABELLED_KIND = 'other';
/** Warnings listed before the file is opened (preflight, opening the stages), written once it is. */
const MAX_WRITTEN_BEFORE_OPEN = 1000;

/** Who sent a warning: decides which record it is about. */
export type WarningRole = 'source' | 'transform' | 'sink' | 'runner';

interface HeldWarning {
  plugin: string;
  kind: string;
  message: string;
  origin: Origin | undefined;
}

/** Same place in the input (origins are compared by file and line). */
function sameOrigin(a: Origin | undefined, b: Origin | undefined): boolean {
  return a !== undefined && b !== undefined && (a === b || (a.line === b.line && a.file === b.file));
}

interface HeldRecord {
  record: unknown;
  warnings: HeldWarning[];
}

export class WarningsFile extends CsvListFile {
  /** Lines of warnings written before the file was opened. */
  private beforeOpen: string[] | undefined = [];
  /** Warnings of records not acknowledged yet, by seq. */
  private readonly held = new Map<number, HeldRecord>();
  /** Source warnings about the record the source is about to yield. */
  private early: HeldWarning[] | undefined;
  private currentSeq = -1;
  private currentRecord: unknown;
  private currentOrigin: Origin | undefined;
  /** This run resumes another: the source's warnings before its first record were written by that run. */
  private resuming = false;

  /** `path` undefined (no dead-letter output): warnings are counted (in `tally`), not listed. */
  constructor(
    path: string | undefined,
    private readonly tally: RunTally,
  ) {
    super(path, { what: 'warnings file', code: 'WARNINGS', setting: 'dlq.path' }, WARNINGS_COLUMNS);
  }

  /** Creates the file with its header, or keeps `keepBytes` of it on resume; then writes what came before. */
  override open(keepBytes: number | undefined, resuming = false): void {
    this.resuming = resuming;
    super.open(keepBytes);
    const lines = this.beforeOpen;
    this.beforeOpen = undefined;
    if (lines && lines.length > 0 && this.isOpen) this.append(lines.join(''));
  }

  /** The pump starts on record `seq` (its source form `record`, from `origin`): called once per record, kept cheap. */
  enter(seq: number, record: unknown, origin: Origin): void {
    if (this.early !== undefined) this.takeEarly(seq, record, origin);
    this.currentSeq = seq;
    this.currentRecord = record;
    this.currentOrigin = origin;
  }

  /** The pump skips a record a resumed run had acknowledged: what the source warned about it was written then. */
  skippedAsDone(origin: Origin): void {
    if (this.early === undefined) return;
    this.early = this.early.filter((warning) => !sameOrigin(warning.origin, origin));
    if (this.early.length === 0) this.early = undefined;
  }

  /** A warning from `plugin` acting as `role`. */
  note(plugin: string, role: WarningRole, message: string, origin: Origin | undefined, kind: string | undefined): void {
    const warning: HeldWarning = { plugin, kind: kind ?? UNLABELLED_KIND, message, origin };
    if (role === 'source' && origin !== undefined) {
      (this.early ??= []).push(warning);
    } else if (role === 'transform' && this.currentSeq >= 0 && sameOrigin(origin, this.currentOrigin)) {
      this.hold(this.currentSeq, this.currentRecord, warning);
    } else if (!(role === 'source' && this.preparing)) {
      this.write(warning, undefined);
    }
  }

  /** A resumed run's source has not yielded its first record yet: what it warns about was written by the run resumed. */
  private get preparing(): boolean {
    return this.resuming && this.currentSeq < 0;
  }

  /** True while some record's warnings wait for its acknowledgement (checked before `acknowledged`). */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** The source's warnings about the record it just yielded are held for it; the rest are about no record. */
  private takeEarly(seq: number, record: unknown, origin: Origin): void {
    const early = this.early!;
    const preparing = this.preparing;
    this.early = undefined;
    for (const warning of early) {
      if (sameOrigin(warning.origin, origin)) this.hold(seq, record, warning);
      else if (!preparing) this.write(warning, undefined);
    }
  }

  private hold(seq: number, record: unknown, warning: HeldWarning): void {
    const held = this.held.get(seq);
    if (held) held.warnings.push(warning);
    else this.held.set(seq, { record, warnings: [warning] });
  }

  /** Record `seq` is final: its warnings are written and counted. */
  acknowledged(seq: number): void {
    const held = this.held.get(seq);
    if (!held) return;
    this.held.delete(seq);
    for (const warning of held.warnings) this.write(warning, held.record);
  }

  /** Record `seq` was not delivered and is not final: the next run reads it again and warns again. */
  dropped(seq: number): void {
    this.held.delete(seq);
  }

  /** The run is over: warnings the source sent after its last record are written; those of unacknowledged records are not. */
  finish(): void {
    const early = this.early;
    this.early = undefined;
    if (!this.preparing) for (const warning of early ?? []) this.write(warning, undefined);
    this.held.clear();
  }

  private write(warning: HeldWarning, record: unknown): void {
    this.tally.addWarning(warning.plugin, warning.kind);
    if (!this.path) return;
    const user = userIdentityOf(record);
    const origin = warning.origin ? formatOrigin(warning.origin) : '';
    const line = csvLine([user.id, user.email, warning.plugin, warning.kind, hideSecrets(warning.message), origin]);
    if (this.isOpen) this.append(line);
    else if (this.beforeOpen && this.beforeOpen.length < MAX_WRITTEN_BEFORE_OPEN) this.beforeOpen.push(line);
  }
}
