import { describe, expect, it } from 'vitest';
import type { RunReport } from '../pipeline.js';
import { hideSecrets, maskRecord } from './hide-secrets.js';
import { renderHtmlReport } from './render-html-report.js';

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

function report(over: Partial<RunReport> = {}): RunReport {
  return {
    pipeline: 'auth0 <b>to</b> zitadel',
    file: 'pipelines/auth0-to-zitadel.yaml',
    stages: { source: 'auth0', transforms: ['field-mapper'], sink: 'zitadel-import' },
    status: 'completed',
    dryRun: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    recordsPerSecond: 1_000,
    counts: { read: 60_000, transformed: 59_000, skipped: 0, written: 58_000, present: 1_000, updated: 0, unchanged: 0, rejected: 1_000, undeliverable: 0, auxiliaryRejected: 3, resumedSkipped: 0 },
    rejectedByReason: { source: { '<script>alert("x")</script>': 10 }, 'transform:hash-validator': { [`unsupported hash ${BCRYPT}`]: 990 } },
    skippedByReason: {},
    updatedByPart: {},
    undeliverableByReason: {},
    writtenWithoutPassword: { social: 300, 'no-hash-in-export': 20 },
    metrics: { auth0: { users: 59_990, 'with-password': 59_000 }, 'zitadel-import': { 'state.active': 57_990, 'state.locked': 10, 'notifications.verify-email': 7 } },
    warnings: 12,
    warningsByKind: { 'field-mapper': { 'phone dropped': 12 } },
    timings: [
      { phase: 'setup', ms: 300 },
      { phase: 'source preparing', ms: 4_000 },
      { phase: 'reading and delivering', ms: 55_000 },
      { phase: 'finishing', ms: 700 },
    ],
    timeline: { everyMs: 1000, points: Array.from({ length: 61 }, (_, s) => ({ atMs: s * 1000, read: s * 1000, delivered: s * 980, rejected: s * 10, undeliverable: 0 })) },
    sample: [{ origin: 'users.ndjson:8', before: maskRecord({ profile: { email: 'jane.doe@example.com' }, password: { hash: BCRYPT } }), after: maskRecord({ user: { hashedPassword: { value: BCRYPT } } }) }],
    reportPath: '/out/report.json',
    exitCode: 0,
    ...over,
  };
}

/** Every number the page shows with the path it comes from. */
function countsOf(page: string): { from: string; path: string[]; value: number }[] {
  const found = [];
  for (const match of page.matchAll(/<span class="count" data-from="(\w+)" data-path="([^"]*)">([\d,]+)<\/span>/g)) {
    const path = JSON.parse(match[2].replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
    found.push({ from: match[1], path, value: Number(match[3].replaceAll(',', '')) });
  }
  return found;
}

/** The value at `path`; a segment with a hash hidden sums every key that reads the same once hidden. */
function at(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const node = value as { [key: string]: unknown } | undefined;
  if (node?.[key] !== undefined) return at(node[key], rest);
  const alike = Object.keys(node ?? {}).filter((k) => hideSecrets(k) === key);
  return alike.length === 0 ? undefined : alike.reduce((sum, k) => sum + (at(node![k], rest) as number), 0);
}

describe('renderHtmlReport', () => {
  it('escapes what comes from the input and never shows a hash or a full e-mail', () => {
    const page = renderHtmlReport(report());
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('auth0 &lt;b&gt;to&lt;/b&gt; zitadel');
    expect(page).not.toContain(BCRYPT.slice(7));
    expect(page).not.toContain('jane.doe@example.com');
    expect(page).toContain('unsupported hash (hidden)');
  });

  it('shows reasons that read the same once their hashes are hidden as one bar, their sum', () => {
    const other = '$2b$10$AAAAAAAAAAAAAAAAAAAAAOAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const page = renderHtmlReport(report({ rejectedByReason: { 'transform:x': { [`unsupported hash ${BCRYPT}`]: 2, [`unsupported hash ${other}`]: 3 } } }));
    expect(page.match(/unsupported hash \(hidden\)/g)).toHaveLength(2);
    expect(countsOf(page).find((c) => c.path[0] === 'rejectedByReason')?.value).toBe(5);
  });

  it('loads nothing: no script, no link, no external source, and a policy that forbids it', () => {
    const page = renderHtmlReport(report());
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(page).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(page).not.toMatch(/\b(src|href)=/i);
    expect(page).not.toMatch(/url\(/i);
  });

  it('shows each number with the path of the same number in the report', () => {
    const r = report();
    const shown = countsOf(renderHtmlReport(r));
    expect(shown.length).toBeGreaterThan(15);
    for (const { from, path, value } of shown) {
      expect(from).toBe('report');
      expect(at(r, path), path.join('.')).toBe(value);
    }
    const paths = shown.map((s) => s.path.join('/'));
    expect(paths).toEqual(
      expect.arrayContaining(['counts/read', 'metrics/auth0/users', 'metrics/auth0/with-password', 'counts/transformed', 'counts/written', 'counts/present', 'writtenWithoutPassword/social', 'metrics/zitadel-import/state.active', 'metrics/zitadel-import/notifications.verify-email', 'warningsByKind/field-mapper/phone dropped']),
    );
  });

  it('says "not checked" for the logins until idflow verify has looked, then shows its numbers', () => {
    expect(renderHtmlReport(report())).toMatch(/able to log in with their password<small>not checked/);
    const verification = {
      verifiedAt: '2026-01-01T00:02:00.000Z',
      checked: 59_000,
      missing: 0,
      different: 0,
      wrongState: 0,
      passwordReady: 58_690,
      states: { active: 58_990, locked: 10 },
      messages: { 'verification e-mails': 7 },
      logins: { checked: 25, succeeded: 25 },
      ok: true,
    };
    const shown = countsOf(renderHtmlReport(report(), verification)).filter((s) => s.from === 'verify');
    expect(shown.map((s) => [s.path.join('/'), s.value])).toEqual(expect.arrayContaining([['passwordReady', 58_690], ['states/active', 58_990], ['checked', 59_000]]));
    for (const { path, value } of shown) expect(at(verification, path)).toBe(value);
  });

  it('says what nothing measured instead of a number', () => {
    const page = renderHtmlReport(report({ metrics: {}, stages: { source: 'ndjson', transforms: [], sink: 'ndjson' } }));
    expect(page).toContain('not counted by the source ndjson');
    expect(page).toContain('The sink ndjson does not count the states users land in.');
  });
});
