// `joinBy: email`: for profiles whose id matches no password record, a fallback on the email,
// case-insensitive and only within the same connection. A match is taken only when exactly one
// password record and exactly one profile share that (connection, email); anything else is
// ambiguous and reported, never guessed. Records with no root email use `identifiers[]`.
//
// The email map is held in memory (one entry per unmatched password record): email joins are an
// opt-in fallback for exports whose ids do not line up.

import type { JoinIndex, StoredPassword } from './join-index.js';
import { profileConnection } from './password-status.js';
import type { Auth0Profile } from './record.js';

export type EmailMatch = { stored: StoredPassword } | { ambiguous: string; candidates: number };

function emailKey(connection: string | undefined, email: string): string {
  return `${connection ?? ''}\u0000${email.toLowerCase()}`;
}

export class EmailFallback {
  /** (connection, email) → password keys not claimed by id. */
  private readonly candidates = new Map<string, string[]>();
  /** (connection, email) → number of profiles without an id match using it. */
  private readonly profileCounts = new Map<string, number>();
  /** Password keys left unmatched because their email was ambiguous. */
  readonly ambiguousKeys = new Set<string>();

  private constructor(private readonly join: JoinIndex) {}

  /** Builds the fallback from the indexed passwords and a first pass over all profiles. */
  static async build(join: JoinIndex, profiles: AsyncIterable<Auth0Profile>): Promise<EmailFallback> {
    const fallback = new EmailFallback(join);
    const idMatched = new Set<string>();
    const byEmail = new Map<string, string[]>();
    for (const stored of join.allPasswords()) {
      if (!stored.password.email) continue;
      const key = emailKey(stored.password.connection, stored.password.email);
      const keys = byEmail.get(key);
      if (keys) keys.push(stored.key);
      else byEmail.set(key, [stored.key]);
    }
    // Profiles are looked up a chunk at a time: on disk, one round trip per chunk.
    let chunk: Auth0Profile[] = [];
    const settle = (): void => {
      const found = join.hasPasswords(chunk.map((profile) => profile.user_id));
      chunk.forEach((profile, i) => {
        if (found[i]) {
          idMatched.add(profile.user_id);
          return;
        }
        if (typeof profile.email !== 'string') return;
        const key = emailKey(profileConnection(profile), profile.email);
        if (byEmail.has(key)) fallback.profileCounts.set(key, (fallback.profileCounts.get(key) ?? 0) + 1);
      });
      chunk = [];
    };
    for await (const profile of profiles) {
      chunk.push(profile);
      if (chunk.length === 2000) settle();
    }
    settle();
    for (const [key, keys] of byEmail) {
      const open = keys.filter((k) => !idMatched.has(k));
      if (open.length > 0) fallback.candidates.set(key, open);
    }
    return fallback;
  }

  /** The password `match` would give the profile, without taking it (for the password-file check). */
  candidate(profile: Auth0Profile): StoredPassword | undefined {
    if (typeof profile.email !== 'string') return undefined;
    const key = emailKey(profileConnection(profile), profile.email);
    const keys = this.candidates.get(key);
    if (!keys || keys.length > 1 || (this.profileCounts.get(key) ?? 0) > 1) return undefined;
    return this.join.findPassword(keys[0]);
  }

  /** The password for a profile that had no id match, an ambiguity, or undefined. */
  match(profile: Auth0Profile, line: number): EmailMatch | undefined {
    if (typeof profile.email !== 'string') return undefined;
    const key = emailKey(profileConnection(profile), profile.email);
    const keys = this.candidates.get(key);
    if (!keys) return undefined;
    const profiles = this.profileCounts.get(key) ?? 0;
    if (keys.length > 1 || profiles > 1) {
      for (const k of keys) this.ambiguousKeys.add(k);
      const ambiguous = keys.length > 1 ? 'several password records share this email' : 'several profiles share this email';
      return { ambiguous, candidates: Math.max(keys.length, profiles) };
    }
    const stored = this.join.findPassword(keys[0]);
    if (!stored || this.join.isClaimed(stored.ordinal)) return undefined;
    this.join.markClaimed(stored.ordinal, line);
    return { stored };
  }
}
