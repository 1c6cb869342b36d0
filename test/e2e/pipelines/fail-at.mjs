// Test-only transform: throws at the `at`-th record, either a FatalError from its own import of
// @idflow/engine (a run-wide problem: the run must stop) or a plain Error (that record's problem:
// it goes to the dead-letter output and the run goes on).
import { FatalError } from '@idflow/engine';

export default {
  name: 'e2e-fail-at',
  kind: 'transform',
  description: 'Test-only: throws at one record, a FatalError or a plain Error.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['at', 'fatal'],
    properties: {
      at: { type: 'integer', minimum: 1, description: 'The record (1-based) that throws.' },
      fatal: { type: 'boolean', description: 'Throw a FatalError rather than a plain Error.' },
    },
  },
  create(config) {
    let seen = 0;
    return {
      apply(record) {
        seen += 1;
        if (seen === config.at) {
          if (config.fatal) throw new FatalError('e2e-fail-at: the target went away', 'E2E_GONE');
          throw new Error('e2e-fail-at: this record is odd');
        }
        return { ok: true, value: record.data };
      },
    };
  },
};
