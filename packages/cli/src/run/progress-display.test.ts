import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressLog, describeProgress, recordsPerSecond } from './progress-display.js';

const counts = { read: 12_000, transformed: 11_995, written: 11_990, present: 0, updated: 0, unchanged: 0, rejected: 10, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 };

describe('describeProgress', () => {
  it('gives counts, the rate and the share of input read when its size is known', () => {
    expect(describeProgress({ type: 'progress', counts, elapsedMs: 5000, bytesDone: 400, bytesTotal: 1000 })).toBe(
      '12,000 read, 11,990 written, 0 already present, 10 rejected, 2,400 records/s, 40% of input',
    );
    expect(describeProgress({ type: 'progress', counts, elapsedMs: 5000 })).not.toContain('% of input');
  });
  it('adds updated and unchanged once a sync has any', () => {
    expect(describeProgress({ type: 'progress', counts: { ...counts, written: 10, updated: 30, unchanged: 11_950 }, elapsedMs: 5000 })).toBe(
      '12,000 read, 10 written, 0 already present, 30 updated, 11,950 unchanged, 10 rejected, 2,400 records/s',
    );
  });
  it('computes records/s over the elapsed time', () => {
    expect(recordsPerSecond(counts, 0)).toBe(0);
    expect(recordsPerSecond(counts, 3000)).toBe(4000);
  });
});

describe('createProgressLog', () => {
  afterEach(() => vi.useRealTimers());

  it('logs the latest progress once per interval, and nothing when nothing changed', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const display = createProgressLog(pino({ base: undefined }, sink), 5000);
    display.update({ type: 'progress', counts: { ...counts, read: 10 }, elapsedMs: 1000 });
    display.update({ type: 'progress', counts, elapsedMs: 5000 });
    vi.advanceTimersByTime(4999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).msg).toBe('progress: 12,000 read, 11,990 written, 0 already present, 10 rejected, 2,400 records/s');
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(1);
    display.stop();
  });
});
