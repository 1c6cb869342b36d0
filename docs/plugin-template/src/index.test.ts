// The plugin through its public contract: create() with a recording context, apply() on records.
// Node's own test runner, so the template needs nothing but TypeScript to build and test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RecordEnvelope, recordingContext } from '@idflow/engine';
import prefixField from './index.js';

function envelope(line: number, data: { [key: string]: unknown }): RecordEnvelope<{ [key: string]: unknown }> {
  return { seq: line, origin: { file: 'users.ndjson', line, offset: 0 }, data };
}

test('prefixes the field, skips records without it, rejects records where it is not text', async () => {
  const ctx = recordingContext();
  const transform = await prefixField.create({ field: 'team', prefix: 'acme-' }, ctx);
  assert.deepEqual(transform.apply(envelope(1, { id: 'u1', team: 'red' })), { ok: true, value: { id: 'u1', team: 'acme-red' } });
  assert.deepEqual(transform.apply(envelope(2, { id: 'u2' })), { ok: false, skip: { reason: 'no team' } });
  assert.deepEqual(transform.apply(envelope(3, { id: 'u3', team: 7 })), { ok: false, rejection: { reason: 'team is not text' } });
  assert.equal(ctx.counts.get('prefixed'), 1);
});
