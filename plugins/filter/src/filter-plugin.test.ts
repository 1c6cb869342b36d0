// The filter through its public contract: validate() at load time, then create() and apply() on
// records shaped like the auth0 source's and the field-mapper's.
import { recordingContext, type RecordEnvelope, type TransformResult } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import filterPlugin, { type FilterConfig } from './index.js';

function auth0User(id: number, email: string | undefined, connection: string, extra: { [key: string]: unknown } = {}): RecordEnvelope {
  return {
    seq: id,
    origin: { file: 'users.ndjson', line: id, offset: id * 100 },
    data: {
      profile: { user_id: `auth0|${id}`, ...(email === undefined ? {} : { email }), identities: [{ connection, provider: 'auth0', user_id: String(id), isSocial: false }], ...extra },
      passwordStatus: 'present',
    },
  };
}

const users = [
  auth0User(1, 'ann@Example.com', 'Username-Password-Authentication'),
  auth0User(2, 'bob@other.org', 'Username-Password-Authentication', { blocked: true }),
  auth0User(3, 'cid@example.com', 'google-oauth2'),
  auth0User(4, undefined, 'Username-Password-Authentication'),
  auth0User(5, ' dee@EXAMPLE.COM ', 'Username-Password-Authentication'),
];

async function outcomes(config: FilterConfig): Promise<string[]> {
  const problems = filterPlugin.validate?.(config) ?? [];
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  const transform = await filterPlugin.create(config, recordingContext());
  return users.map((user) => outcomeOf(transform.apply(user) as TransformResult, user));
}

function outcomeOf(result: TransformResult, input: RecordEnvelope): string {
  if (result.ok) {
    expect(result.value).toBe(input.data); // kept unchanged, not copied
    return 'kept';
  }
  return result.skip ? `skipped: ${result.skip.reason}` : `rejected: ${result.rejection?.reason}`;
}

describe('filter transform', () => {
  it('keeps the records the condition holds for and skips the others with its reason', async () => {
    expect(await outcomes({ condition: 'equals(profile.identities[0].connection, "Username-Password-Authentication")', reason: 'not a database user' })).toEqual([
      'kept',
      'kept',
      'skipped: not a database user',
      'kept',
      'kept',
    ]);
  });

  it('filters by e-mail domain, case and spaces aside; a user without an e-mail matches nothing', async () => {
    expect(await outcomes({ condition: 'equals(domain(profile.email), "example.com")' })).toEqual([
      'kept',
      'skipped: condition is false: equals(domain(profile.email), "example.com")',
      'kept',
      'skipped: condition is false: equals(domain(profile.email), "example.com")',
      'kept',
    ]);
  });

  it('with exclude, skips the records the condition holds for', async () => {
    expect(await outcomes({ condition: 'or(profile.blocked, endsWith(lower(profile.email), "@other.org"))', exclude: true })).toEqual([
      'kept',
      'skipped: excluded: or(profile.blocked, endsWith(lower(profile.email), "@other.org"))',
      'kept',
      'kept',
      'kept',
    ]);
    // A path to a true/false field is a condition; missing counts as false.
    expect(await outcomes({ condition: 'profile.blocked', exclude: true, reason: 'blocked' })).toEqual(['kept', 'skipped: blocked', 'kept', 'kept', 'kept']);
    expect(await outcomes({ condition: 'and(exists(profile.email), not(matches(profile.email, "^c", "i")))' })).toEqual([
      'kept',
      'kept',
      'skipped: condition is false: and(exists(profile.email), not(matches(profile.email, "^c", "i")))',
      'skipped: condition is false: and(exists(profile.email), not(matches(profile.email, "^c", "i")))',
      'kept',
    ]);
  });

  it('rejects, with the reason, a record the condition cannot decide (a path to text)', async () => {
    const result = await outcomes({ condition: 'profile.email' });
    expect(result[0]).toBe('rejected: filter: the condition gave a string, not true or false: profile.email');
    // No e-mail: nothing, which matches nothing.
    expect(result[3]).toBe('skipped: condition is false: profile.email');
  });

  it('refuses at load time what cannot be a condition, with the column', () => {
    const problems = (condition: string) => filterPlugin.validate?.({ condition }).map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(problems('lower(profile.email)')).toEqual([
      'condition: a condition must give true or false: a predicate (equals, startsWith, endsWith, contains, matches, exists, not, and, or), a path to a true/false field, or true/false; got lower(…), which gives a value, not true or false (compare it: equals(lower(…), "…"))',
    ]);
    expect(problems('equals(profile.email')).toEqual(['condition: expected ")" but found the end at column 21']);
    expect(problems('equls(profile.email, "x")')?.[0]).toMatch(/^condition: unknown function "equls" \(known: .*equals.*\) at column 1$/);
    expect(problems('matches(profile.email, "(")')?.[0]).toMatch(/^condition: matches: invalid regular expression: .* at column 1$/);
    expect(problems('"text"')?.[0]).toMatch(/got the constant "text"$/);
    expect(problems('true')).toEqual([]);
  });
});
