// ZITADEL usernames are unique case-insensitively; a duplicate inside one import would make
// ZITADEL refuse the second user anyway, but only after the sink has batched and sent it. Catching
// it here puts the second user in the dead-letter output with the id of the first one.
//
// Memory: one Map entry per accepted user (lowercased userName → userId), about 150 bytes each
// with ~30-character names; see the measurement in this package's README comment in plugin.ts.
//
// Resume: the registry lives in memory only. After an interrupted run is resumed, it holds the
// names of this run's records, not those acknowledged before the interruption, so a duplicate of
// an already-imported user is no longer caught here; ZITADEL then answers that user with
// `Errors.User.AlreadyExists` and the sink reports it. Persisting the set is not worth the I/O.

/** Remembers the userNames accepted in this run, case-insensitively. */
export class UserNameRegistry {
  private readonly owners = new Map<string, string>();

  /** Claims `userName` for `userId`; answers the id of the earlier owner when it was taken. */
  claim(userName: string, userId: string): string | undefined {
    const key = userName.toLowerCase();
    const owner = this.owners.get(key);
    if (owner !== undefined && owner !== userId) return owner;
    this.owners.set(key, userId);
    return undefined;
  }

  get size(): number {
    return this.owners.size;
  }
}
