// Test-only plugins that never answer: `e2e-hang` (a transform) never settles for the records it
// is told, and `e2e-hang-sink` (a sink) writes the first `answered` batches to a file and then
// never settles a `write` again — nor its `close`. Nothing keeps the event loop busy meanwhile.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';

const never = () => new Promise(() => {});

export default [
  {
    name: 'e2e-hang',
    kind: 'transform',
    description: 'Test-only: never answers for the records listed.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['at'],
      properties: { at: { type: 'array', items: { type: 'integer' }, description: 'Record numbers (1-based) it never answers for.' } },
    },
    create(config) {
      let seen = 0;
      return {
        apply(record) {
          seen += 1;
          return config.at.includes(seen) ? never() : Promise.resolve({ ok: true, value: record.data });
        },
      };
    },
  },
  {
    name: 'e2e-hang-sink',
    kind: 'sink',
    description: 'Test-only: answers the first batches, then never again.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'answered'],
      properties: {
        path: { type: 'string', 'x-idflow': 'output-path', description: 'File the answered batches go to.' },
        answered: { type: 'integer', minimum: 0, description: 'Batches answered before it hangs.' },
      },
    },
    create(config, ctx) {
      const path = resolve(ctx.baseDir, config.path);
      let calls = 0;
      return {
        batching: { maxRecords: 10, lingerMs: 10 },
        retry: { attempts: 1 },
        async write(batch) {
          calls += 1;
          if (calls > config.answered) return never();
          appendFileSync(path, batch.map((record) => `${JSON.stringify(record.data)}\n`).join(''));
          return batch.map(() => ({ status: 'written' }));
        },
        close: never,
      };
    },
  },
];
