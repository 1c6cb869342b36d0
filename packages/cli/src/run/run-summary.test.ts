import type { RunReport } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { formatDiffSummary } from './diff-summary.js';
import { formatDuration, formatRunSummary } from './run-summary.js';

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    pipeline: 'copy',
    file: 'copy.yaml',
    status: 'completed',
    dryRun: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:12.345Z',
    durationMs: 12_345,
    recordsPerSecond: 8100,
    counts: { read: 100_000, transformed: 99_990, written: 99_000, present: 980, updated: 0, unchanged: 0, rejected: 20, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 },
    rejectedByReason: {
      source: { 'malformed JSON': 12 },
      'transform:hash-validator': { 'bcrypt cost 3 is below 4': 5, 'unknown hash format': 1, a: 1, b: 1 },
    },
    undeliverableByReason: {},
    writtenWithoutPassword: {},
    updatedByPart: {},
    metrics: {},
    warnings: 0,
    dlqPath: '/out/dead-letters.ndjson',
    reportPath: '/out/report.json',
    exitCode: 0,
    ...overrides,
  };
}

describe('formatRunSummary', () => {
  it('shows counts, the top rejection reasons, duration, rate and file paths', () => {
    expect(formatRunSummary(report())).toBe(
      [
        'copy: completed',
        '  users read             100,000',
        '  transformed             99,990',
        '  written                 99,000',
        '  already present            980',
        '  rejected                    20',
        '            12  source: malformed JSON',
        '             5  transform:hash-validator: bcrypt cost 3 is below 4',
        '             1  transform:hash-validator: unknown hash format',
        '             1  transform:hash-validator: a',
        '             1  transform:hash-validator: b',
        '  undeliverable                0',
        '  duration              12.3 s (8,100 records/s)',
        '  dead letters          /out/dead-letters.ndjson',
        '  report                /out/report.json',
      ].join('\n'),
    );
  });

  it('says when the run was interrupted, stopped by maxRejects, a dry run or a resumption', () => {
    const interrupted = formatRunSummary(report({ status: 'interrupted', checkpointPath: '/out/cp.json' }), { file: 'in.ndjson', line: 5000, offset: 1 });
    expect(interrupted.split('\n').slice(0, 2)).toEqual([
      'copy: interrupted (checkpoint saved; run the same command again to resume)',
      '  resumed after in.ndjson:5000 (counts include the earlier runs)',
    ]);
    expect(interrupted).toContain('  checkpoint            /out/cp.json');
    expect(formatRunSummary(report({ status: 'max-rejects' }))).toMatch(/^copy: stopped: too many rejected records \(maxRejects\)/);
    const dry = formatRunSummary(report({ dryRun: true }));
    expect(dry).toMatch(/^copy: completed \[dry run: nothing was written to the target\]/);
    expect(dry).toContain('  would be written        99,990');
  });

  it('keeps undeliverable users and their reasons apart from rejected ones, and refused non-user input on a line of its own', () => {
    const text = formatRunSummary(
      report({
        status: 'incomplete',
        counts: { read: 1000, transformed: 990, written: 950, present: 0, updated: 0, unchanged: 0, rejected: 10, undeliverable: 40, auxiliaryRejected: 3, resumedSkipped: 0 },
        rejectedByReason: { 'transform:hash-validator': { 'bcrypt cost 4': 10 }, source: { 'orphan password': 3 } },
        undeliverableByReason: { 'connect ECONNREFUSED 127.0.0.1:8080': 40 },
      }),
    );
    expect(text.split('\n').slice(0, 11)).toEqual([
      'copy: incomplete: some users could not be delivered (run the same command again to deliver them)',
      '  users read               1,000',
      '  transformed                990',
      '  written                    950',
      '  already present              0',
      '  rejected                    10',
      '  other input refused          3  (lines that are not users, e.g. passwords without a profile)',
      '            10  transform:hash-validator: bcrypt cost 4',
      '             3  source: orphan password',
      '  undeliverable               40  (not final: the next run sends them)',
      '            40  connect ECONNREFUSED 127.0.0.1:8080',
    ]);
  });

  it('gives users written without a password a line of their own, by cause', () => {
    const text = formatRunSummary(report({ writtenWithoutPassword: { social: 80, 'no-hash-in-export': 30, passwordless: 10, 'hash-refused': 0 } }));
    expect(text).toContain('  written                 99,000\n    without a password       120  (social 80, no-hash-in-export 30, passwordless 10)\n  already present');
  });

  it('escapes terminal control characters coming from the input', () => {
    const text = formatRunSummary(report({ rejectedByReason: { 'transform:field-mapper': { 'phone "\u001b[2J\u001b[31mx" is not E.164': 1 } } }));
    expect(text).toContain('transform:field-mapper: phone "\\x1b[2J\\x1b[31mx" is not E.164');
    expect(text).not.toContain('\u001b');
  });

  it('lists only the top five reasons', () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`reason ${i}`, 8 - i]));
    const text = formatRunSummary(report({ rejectedByReason: { source: many } }));
    expect(text).toContain('source: reason 4');
    expect(text).not.toContain('source: reason 5');
    expect(text).toContain('… and 3 more reasons (see the report)');
  });
});

describe('sync counts (issue 14)', () => {
  const synced = () =>
    report({
      counts: { read: 100, transformed: 100, written: 5, present: 0, updated: 7, unchanged: 88, rejected: 0, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 },
      updatedByPart: { state: 2, password: 5 },
      missing: { count: 1, deactivated: 0, path: '/out/missing.ndjson' },
    });

  it('a run gives created / updated by part / unchanged / missing rows', () => {
    const text = formatRunSummary(synced());
    expect(text).toMatch(/written\s+5 {2}\(created\)/);
    expect(text).toMatch(/updated\s+7 {2}\(password 5, state 2\)/);
    expect(text).toMatch(/unchanged\s+88/);
    expect(text).toMatch(/missing\s+1 {2}\(listed, never deleted: \/out\/missing.ndjson\)/);
  });

  it('a run without sync keeps its old summary', () => {
    expect(formatRunSummary(report())).not.toMatch(/updated|unchanged|missing/);
  });

  it('idflow diff says what would happen and that nothing was written', () => {
    const text = formatDiffSummary({ ...synced(), dryRun: true, diffPath: '/out/diff.ndjson', counts: { ...synced().counts, rejected: 2 } });
    expect(text).toContain('[nothing was written to the target]');
    expect(text).toMatch(/would create\s+5/);
    expect(text).toMatch(/would update\s+7 {2}\(password 5, state 2\)/);
    expect(text).toMatch(/would fail\s+2/);
    expect(text).toMatch(/changes\s+\/out\/diff.ndjson/);
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
  });
});
