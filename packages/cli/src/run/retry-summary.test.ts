import type { RunReport } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { formatRetrySummary } from './retry-summary.js';

const counts = { read: 30, transformed: 25, skipped: 0, written: 20, present: 5, updated: 0, unchanged: 0, rejected: 5, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 };

function retryReport(overrides: Partial<RunReport['retry']> = {}): RunReport {
  return {
    pipeline: 'auth0-to-zitadel',
    file: 'p.yaml',
    status: 'completed',
    dryRun: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    recordsPerSecond: 30,
    counts,
    rejectedByReason: { 'transform:hash-validator': { 'bcrypt cost 4 is below ZITADEL\'s minimum 10': 5 } },
    skippedByReason: {},
    updatedByPart: {},
    undeliverableByReason: {},
    writtenWithoutPassword: {},
    metrics: {},
    warnings: 0,
    warningsByKind: {},
    stages: { source: 'auth0', transforms: ['hash-validator'], sink: 'zitadel-import' },
    timings: [],
    timeline: { everyMs: 1000, points: [] },
    sample: [],
    exitCode: 0,
    retry: {
      from: '/out/dead-letter.ndjson',
      reason: 'hash',
      deadLetters: 40,
      selected: 32,
      replayable: 30,
      notReplayable: 2,
      notReplayableByReason: { 'source: malformed JSON': 2 },
      amends: '/out/report.json',
      combined: {
        counts: { read: 10_000, written: 9_950, present: 5, skipped: 0, rejected: 15, undeliverable: 0, auxiliaryRejected: 3 },
        rejectedByReason: { 'transform:hash-validator': { 'bcrypt cost 4 is below ZITADEL\'s minimum 10': 5 }, source: { 'malformed JSON': 10 } },
        skippedByReason: {},
        writtenWithoutPassword: {},
      },
      ...overrides,
    },
  };
}

describe('formatRetrySummary', () => {
  it('adds what was replayed and where the migration stands with the amended run', () => {
    const lines = formatRetrySummary(retryReport()).split('\n');
    expect(lines.slice(lines.indexOf('  retry of              /out/dead-letter.ndjson'))).toEqual([
      '  retry of              /out/dead-letter.ndjson',
      '  dead letters                40  (32 selected by --reason "hash", 30 replayed)',
      '  not replayable               2  (refused by the source: fix the input and run the pipeline again)',
      '             2  source: malformed JSON',
      '  with the run it amends (/out/report.json), the migration stands at:',
      '    users read              10,000',
      '    written                  9,950',
      '    already present              5',
      '    rejected                    15',
      '    other input refused          3',
      '              10  source: malformed JSON',
      "               5  transform:hash-validator: bcrypt cost 4 is below ZITADEL's minimum 10",
    ]);
  });

  it('says when no report of the run was found to add up with', () => {
    const summary = formatRetrySummary(retryReport({ amends: undefined, combined: undefined, reason: undefined, notReplayable: 0, notReplayableByReason: {} }));
    expect(summary).toContain('  dead letters                40  (30 replayed)');
    expect(summary).toContain("(no report of the run that wrote it lies beside it: the totals above are the retry's alone)");
  });
});
