// Test-only sink: writes each record as a JSON line and, like the ZITADEL sinks, counts every user
// written without a password as `written.without-password.<cause>` (the record's `noPassword`).
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';

export default {
  name: 'e2e-count-sink',
  kind: 'sink',
  description: 'Test-only: writes records and counts those without a password by cause.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: { path: { type: 'string', 'x-idflow': 'output-path', description: 'File the records go to.' } },
  },
  create(config, ctx) {
    const path = resolve(ctx.baseDir, config.path);
    return {
      batching: { maxRecords: 100 },
      async write(batch) {
        appendFileSync(path, batch.map((record) => `${JSON.stringify(record.data)}\n`).join(''));
        for (const record of batch) if (record.data.noPassword) ctx.count(`written.without-password.${record.data.noPassword}`);
        return batch.map(() => ({ status: 'written' }));
      },
      async close() {},
    };
  },
};
