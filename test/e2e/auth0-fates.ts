// What the auth0 source must yield for a generated export: each user once, with the password
// status its kind calls for, and the report's per-cause counters to match.
import type { GeneratedExport } from '@idflow/fixtures';
import { expect } from 'vitest';

/** A line of the ndjson sink's output when the auth0 source feeds it. */
export interface UserLine {
  profile: { user_id: string; email?: string; name?: string };
  passwordStatus: string;
  password?: { hash: string };
}

/** Every user exactly once, each with the passwordStatus (present or its cause) of its kind. */
export function expectFates(out: UserLine[], exp: GeneratedExport): void {
  const { users, byKind, counts } = exp.expected;
  expect(out).toHaveLength(users);
  expect(new Set(out.map((u) => u.profile.user_id)).size).toBe(users);
  const status = new Map(out.map((u) => [u.profile.user_id, u.passwordStatus]));
  for (const id of [...(byKind.social ?? []), ...(byKind['social-multi'] ?? [])]) expect(status.get(id)).toBe('social');
  for (const id of byKind.passwordless ?? []) expect(status.get(id)).toBe('passwordless');
  for (const id of [...(byKind['empty-hash'] ?? []), ...(byKind['missing-hash-key'] ?? [])]) expect(status.get(id)).toBe('empty-hash');
  for (const id of byKind['no-password-record'] ?? []) expect(status.get(id)).toBe('missing');
  for (const login of exp.logins) expect(status.get(login.user_id)).toBe('present');
  expect(out.filter((u) => u.passwordStatus === 'present')).toHaveLength(counts.present);
}

/** The auth0 source's counters in `report.json`: users with a password, and without one by cause. */
export function expectPasswordMetrics(report: { metrics: { [plugin: string]: { [metric: string]: number } } }, exp: GeneratedExport): { [metric: string]: number } {
  const metrics = Object.values(report.metrics).find((m) => 'with-password' in m)!;
  const { counts } = exp.expected;
  expect(metrics).toMatchObject({
    'with-password': counts.present,
    'no-password.social': counts.social,
    'no-password.passwordless': counts.passwordless,
    'no-password.empty-hash': counts.emptyHash,
    'no-password.missing': counts.missing,
  });
  return metrics;
}
