// Warnings for records with duplicate keys: the first few with their location and the keys, then
// a count, so an export whose every record repeats a key does not flood the log.

import type { Origin, PluginContext } from '@idflow/engine';

/** Records warned about one by one; the rest are summed up in one warning at the end. */
const listedRecords = 20;

export class DuplicateKeyWarnings {
  private listed = 0;
  private unlisted = 0;

  constructor(private readonly ctx: PluginContext) {}

  /** Warns about a record whose `keys` occur more than once (dotted paths). */
  note(keys: readonly string[], origin: Origin): void {
    if (this.listed >= listedRecords) {
      this.unlisted++;
      return;
    }
    this.listed++;
    const names = keys.map((key) => `"${key}"`).join(', ');
    const which = keys.length === 1 ? `duplicate key ${names}` : `duplicate keys ${names}`;
    // The location is in the text too: pretty logs show only the message.
    this.ctx.warn(`${origin.file}:${origin.line}: ${which} in one record; the last value is kept`, origin);
  }

  /** The summary of the records not warned about one by one. */
  finish(): void {
    if (this.unlisted === 0) return;
    this.ctx.warn(`${this.unlisted} more records with duplicate keys (the last value is kept; counted under duplicate-keys)`);
    this.unlisted = 0;
  }
}
