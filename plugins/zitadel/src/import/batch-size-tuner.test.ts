import { describe, expect, it } from 'vitest';
import { BatchSizeTuner } from './batch-size-tuner.js';
import { splitIntoChunks } from './split-into-chunks.js';

describe('BatchSizeTuner', () => {
  it('shrinks when an answer comes close to the timeout, grows back while answers are quick', () => {
    const tuner = new BatchSizeTuner(1000, 10_000);
    tuner.observe(9_000, 1000);
    expect(tuner.current).toBe(555);
    tuner.observe(1_000, 555);
    expect(tuner.current).toBe(694);
    for (let i = 0; i < 10; i++) tuner.observe(1_000, tuner.current);
    expect(tuner.current).toBe(1000);
    expect(tuner.shrink()).toBe(500);
  });
});

describe('splitIntoChunks', () => {
  it('bounds users and bytes per chunk, keeping order', () => {
    const items = ['aaaa', 'bb', 'cccccc', 'd', 'ee'];
    expect(splitIntoChunks(items, 2, 100, (s) => s.length)).toEqual([['aaaa', 'bb'], ['cccccc', 'd'], ['ee']]);
    expect(splitIntoChunks(items, 10, 7, (s) => s.length)).toEqual([['aaaa', 'bb'], ['cccccc', 'd'], ['ee']]);
    expect(splitIntoChunks(['x'.repeat(50)], 10, 7, (s) => s.length)).toHaveLength(1);
  });
});
