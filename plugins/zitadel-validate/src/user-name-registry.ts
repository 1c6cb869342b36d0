// ZITADEL usernames are unique case-insensitively; a duplicate inside one import would make
// ZITADEL refuse the second user anyway, but only after the sink has batched and sent it. Catching
// it here puts the second user in the dead-letter output with the id of the first one.
//
// Memory: one Map entry per accepted user (lowercased userName → userId). Measured on Node 20
// with ~30-character names and ids: ~215 bytes of heap per user, i.e. +265 MB RSS for 1,000,000
// users and ~770 MB for 3,000,000. Keying by a 64-bit hash of the name saved only ~15% (the ids
// dominate) and cost 16 µs per user, so the plain strings stay.
//
// Resume: the registry lives in memory only. After an interrupted run is resumed, it holds the
// names of this run's records, not those acknowledged before the interruption, so a duplicate of
// an already-imported user is no longer caught here; ZITADEL then answers that user with
// `Errors.User.AlreadyExists` and the sink reports it. Persisting the set is not worth the I/O.

import { FatalError } from '@idflow/engine';

/** V8 refuses to grow a Map beyond 2^24 entries. */
const MAX_ENTRIES = 2 ** 24;

/** Remembers the userNames accepted in this run, case-insensitively. */
export class UserNameRegistry {
  private readonly owners = new Map<string, string>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** Claims `userName` for `userId`; answers the id of the earlier owner when it was taken. */
  claim(userName: string, userId: string): string | undefined {
    const key = userName.toLowerCase();
    const owner = this.owners.get(key);
    if (owner !== undefined && owner !== userId) return owner;
    if (owner === undefined && this.owners.size >= this.maxEntries) {
      throw new FatalError(
        `zitadel-validate: more than ${this.maxEntries} userNames in one run, more than it can remember; set uniqueUserNames: false (ZITADEL still refuses a taken userName itself)`,
      );
    }
    this.owners.set(key, userId);
    return undefined;
  }

  get size(): number {
    return this.owners.size;
  }
}
