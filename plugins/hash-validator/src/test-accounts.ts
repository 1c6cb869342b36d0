// The `verify:` test accounts of one run: looked up by email as records pass, so that the end of
// the run can name the accounts that never appeared.

export class TestAccounts {
  private readonly seen = new Set<string>();

  /** `passwords` is keyed by lower-cased email. */
  constructor(private readonly passwords: ReadonlyMap<string, string>) {}

  /** The test password for `email` (case-insensitive), marking the account as seen. */
  take(email: unknown): { email: string; password: string } | undefined {
    if (typeof email !== 'string' || this.passwords.size === 0) return undefined;
    const key = email.trim().toLowerCase();
    const password = this.passwords.get(key);
    if (password === undefined) return undefined;
    this.seen.add(key);
    return { email: key, password };
  }

  /** Accounts no record carried. */
  unseen(): string[] {
    return [...this.passwords.keys()].filter((email) => !this.seen.has(email));
  }
}
