import type { SinkOutcome } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { type PartAnswer, bisectRejectedBatch } from './bisect-rejected-batch.js';

/** A fake server that refuses any part containing a bad item, as ZITADEL's whole-request validation does. */
function validatingServer(bad: Set<number>) {
  const requests: number[][] = [];
  const send = async (part: number[]): Promise<PartAnswer> => {
    requests.push(part);
    const offender = part.find((n) => bad.has(n));
    if (offender !== undefined) return { kind: 'refused', message: `user ${offender}: PreferredLanguage too long` };
    return { kind: 'outcomes', outcomes: part.map((): SinkOutcome => ({ status: 'written' })) };
  };
  return { send, requests };
}

describe('bisectRejectedBatch', () => {
  it('isolates each bad record and delivers all others, in order', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const server = validatingServer(new Set([7, 63]));
    const outcomes = await bisectRejectedBatch(items, server.send);
    expect(outcomes).toHaveLength(100);
    expect(outcomes[7]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('user 7') });
    expect(outcomes[63]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('user 63') });
    expect(outcomes.filter((o) => o.status === 'written')).toHaveLength(98);
    // O(bad · log n), far from one request per record.
    expect(server.requests.length).toBeLessThan(30);
  });
  it('sends a clean batch once', async () => {
    const server = validatingServer(new Set());
    await bisectRejectedBatch([1, 2, 3], server.send);
    expect(server.requests).toEqual([[1, 2, 3]]);
  });
});
