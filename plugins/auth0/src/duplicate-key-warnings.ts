// Warnings for records with duplicate keys, each with its location and the keys: every one, so
// warnings.csv lists each user whose record lost a value (the terminal shows only the first few;
// the runner counts the rest).

import type { Origin, PluginContext } from '@idflow/engine';

export class DuplicateKeyWarnings {
  constructor(private readonly ctx: PluginContext) {}

  /** Warns about a record whose `keys` occur more than once (dotted paths). */
  note(keys: readonly string[], origin: Origin): void {
    const names = keys.map((key) => `"${key}"`).join(', ');
    const which = keys.length === 1 ? `duplicate key ${names}` : `duplicate keys ${names}`;
    // The location is in the text too: pretty logs show only the message.
    this.ctx.warn(`${origin.file}:${origin.line}: ${which} in one record; the last value is kept`, origin, 'duplicate keys');
  }
}
