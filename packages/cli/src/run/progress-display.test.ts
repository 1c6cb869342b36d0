import { Writable } from 'node:stream';
import { ProgressEstimator, type RunCounts, type RunEvent } from '@idflow/engine';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressLog, describeProgress, formatBarLine, recordsPerSecond } from './progress-display.js';

type ProgressEvent = Extract<RunEvent, { type: 'progress' }>;

const counts = { read: 12_000, transformed: 11_995, skipped: 0, written: 11_990, present: 0, updated: 0, unchanged: 0, rejected: 10, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 };
const zero: RunCounts = { read: 0, transformed: 0, skipped: 0, written: 0, present: 0, updated: 0, unchanged: 0, rejected: 0, undeliverable: 0, auxiliaryRejected: 0, resumedSkipped: 0 };

function event(over: Partial<ProgressEvent>): ProgressEvent {
  return { type: 'progress', counts, users: { done: 12_000, perSecond: 2_400, totalExact: false }, elapsedMs: 5000, ...over };
}


describe('describeProgress', () => {
  it('gives users done of the estimated total, the fates, the rate and the ETA', () => {
    const text = describeProgress(event({ users: { done: 12_000, total: 30_000, totalExact: false, perSecond: 2_400, etaMs: 7_500 } }));
    expect(text).toBe('12,000 of ~30,000 users done (40%): 11,990 written, 0 already present, 10 rejected; 2,400 users/s, ETA 8s');
  });
  it('drops the ~ once the total is counted, and says when the ETA is still being measured', () => {
    expect(describeProgress(event({ users: { done: 12_000, total: 12_000, totalExact: true, perSecond: 0, etaMs: 0 } }))).toContain('12,000 of 12,000 users done (100%)');
    expect(describeProgress(event({ users: { done: 100, total: 30_000, totalExact: false, perSecond: 0 } }))).toContain('ETA: measuring');
  });
  it('says the total is not known while the source gives no size', () => {
    expect(describeProgress(event({}))).toBe('12,000 users done (total not known yet): 11,990 written, 0 already present, 10 rejected; 2,400 users/s');
  });
  it('says what it waits for before the first user', () => {
    expect(describeProgress(event({ counts: zero, users: { done: 0, perSecond: 0, totalExact: false }, elapsedMs: 3000 }))).toBe(
      'waiting for the first user (the source is preparing, e.g. indexing the password export; 3s so far)',
    );
  });
  it('adds updated and unchanged once a sync has any', () => {
    expect(describeProgress(event({ counts: { ...counts, written: 10, updated: 30, unchanged: 11_950 } }))).toBe(
      '12,000 users done (total not known yet): 10 written, 0 already present, 30 updated, 11,950 unchanged, 10 rejected; 2,400 users/s',
    );
  });
  it('computes records/s over the elapsed time', () => {
    expect(recordsPerSecond(counts, 0)).toBe(0);
    expect(recordsPerSecond(counts, 3000)).toBe(4000);
  });
});

describe('formatBarLine', () => {
  it('fills the bar by users done of the total known at each frame, not at the first one', () => {
    // The bug this replaces: a bar made while the source still indexed its password export (no
    // size yet) kept a total of 1 and read 100 % from the first record on, without an ETA.
    const estimator = new ProgressEstimator();
    const bytesTotal = 1_000_000;
    const frames: string[] = [];
    frames.push(formatBarLine({ type: 'progress', counts: zero, users: estimator.update(250, zero, undefined, false), elapsedMs: 250 }, 10));
    for (let second = 1; second <= 10; second++) {
      const read = second * 1_000;
      const c = { ...zero, read, transformed: read, written: read };
      const bytes = { done: read * 100, total: bytesTotal };
      frames.push(formatBarLine({ type: 'progress', counts: c, users: estimator.update(250 + second * 1000, c, bytes, false), elapsedMs: 250 + second * 1000 }, 10));
    }
    expect(frames[0]).toMatch(/^waiting for the first user/);
    expect(frames[1]).toBe('[#---------] 10% 1,000 of ~10,000 users | 1,000 users/s | ETA: measuring');
    expect(frames[5]).toBe('[#####-----] 50% 5,000 of ~10,000 users | 1,000 users/s | ETA 5s');
    expect(frames[9]).toBe('[#########-] 90% 9,000 of ~10,000 users | 1,000 users/s | ETA 1s');
  });
});

describe('createProgressLog', () => {
  afterEach(() => vi.useRealTimers());

  it('logs the latest progress once per interval, with the users in the fields, and nothing when nothing changed', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const display = createProgressLog(pino({ base: undefined }, sink), 5000);
    display.update(event({ counts: { ...counts, read: 10 }, elapsedMs: 1000 }));
    const users = { done: 12_000, total: 24_000, totalExact: false, perSecond: 2_400, etaMs: 5_000 };
    display.update(event({ users }));
    vi.advanceTimersByTime(4999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]);
    expect(logged.msg).toBe('progress: 12,000 of ~24,000 users done (50%): 11,990 written, 0 already present, 10 rejected; 2,400 users/s, ETA 5s');
    expect(logged.users).toEqual(users);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(1);
    display.stop();
  });
});
