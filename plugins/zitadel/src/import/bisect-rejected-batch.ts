// ZITADEL validates a whole import request before importing anything: one bad user makes it
// refuse all of them. Halving the batch until the refusals are single users isolates them in
// O(bad · log n) requests and lets every other user through.
import type { SinkOutcome } from '@idflow/engine';

/** What sending one part came to: outcomes per record, or a refusal of the whole part. */
export type PartAnswer = { kind: 'outcomes'; outcomes: SinkOutcome[] } | { kind: 'refused'; message: string };

/**
 * Sends `records`; when the whole part is refused, splits it in halves and sends each, down to
 * single records, which are rejected with ZITADEL's message. Outcomes come back in input order.
 */
export async function bisectRejectedBatch<T>(
  records: T[],
  sendPart: (part: T[]) => Promise<PartAnswer>,
  onSplit?: (size: number) => void,
): Promise<SinkOutcome[]> {
  const answer = await sendPart(records);
  if (answer.kind === 'outcomes') return answer.outcomes;
  if (records.length === 1) {
    return [{ status: 'rejected', reason: `ZITADEL refused the user: ${answer.message}`, detail: { zitadel: answer.message } }];
  }
  onSplit?.(records.length);
  const middle = Math.ceil(records.length / 2);
  const left = await bisectRejectedBatch(records.slice(0, middle), sendPart, onSplit);
  const right = await bisectRejectedBatch(records.slice(middle), sendPart, onSplit);
  return [...left, ...right];
}
