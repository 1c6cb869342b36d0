// The example plugin, tested through its contract: created with a `with:` config and a context,
// applied to record envelopes.
import type { PluginContext, RecordEnvelope } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import redact from './index.js';

function contextCounting(counts: Record<string, number>): PluginContext {
  return {
    baseDir: '.',
    dryRun: false,
    signal: new AbortController().signal,
    count: (metric, by = 1) => {
      counts[metric] = (counts[metric] ?? 0) + by;
    },
    warn: () => undefined,
    log: () => undefined,
  };
}

const envelope = (data: unknown): RecordEnvelope => ({ seq: 1, origin: { file: 'users.ndjson', line: 7, offset: 120 }, data });

describe('example-redact', () => {
  it('masks top-level and nested fields, leaving the input record untouched', async () => {
    const counts: Record<string, number> = {};
    const transform = await redact.create({ fields: ['email', 'user_metadata.phone', 'absent.field'] }, contextCounting(counts));
    const input = { email: 'ada@example.com', name: 'Ada', user_metadata: { phone: '+41 79', city: 'Zug' } };
    const snapshot = structuredClone(input);
    expect(await transform.apply(envelope(input))).toEqual({
      ok: true,
      value: { email: '***', name: 'Ada', user_metadata: { phone: '***', city: 'Zug' } },
    });
    expect(input).toEqual(snapshot);
    expect(counts).toEqual({ fieldsMasked: 2 });
  });

  it('uses a custom mask and does not add fields that are missing', async () => {
    const transform = await redact.create({ fields: ['email', 'toString'], mask: '[hidden]' }, contextCounting({}));
    expect(await transform.apply(envelope({ name: 'Bob' }))).toEqual({ ok: true, value: { name: 'Bob' } });
    expect(await transform.apply(envelope({ email: 'b@x.io' }))).toEqual({ ok: true, value: { email: '[hidden]' } });
  });

  it('rejects a record that is not a JSON object', async () => {
    const transform = await redact.create({ fields: ['email'] }, contextCounting({}));
    for (const data of [42, 'text', null, [1, 2]]) {
      expect(await transform.apply(envelope(data))).toEqual({ ok: false, rejection: { reason: 'record is not a JSON object', raw: data } });
    }
  });

  it('documents every config property in its schema', () => {
    const properties = redact.schema.properties as Record<string, { description?: string }>;
    expect(redact).toMatchObject({ name: 'example-redact', kind: 'transform', schema: { additionalProperties: false, required: ['fields'] } });
    for (const property of Object.values(properties)) expect(property.description).toBeTruthy();
  });
});
