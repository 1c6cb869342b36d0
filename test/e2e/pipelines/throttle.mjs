// Test-only transform: passes records through unchanged, pausing `delayMs` after every `every`
// records, so that a copy runs long enough for a test to interrupt it mid-way.
export default {
  name: 'e2e-throttle',
  kind: 'transform',
  description: 'Test-only: passes records through, pausing regularly to slow a run down.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      // Speed only: a resumed run may change them (see WithKeyRole `tuning`).
      every: { type: 'integer', minimum: 1, default: 1000, 'x-idflow': 'tuning', description: 'Pause after this many records.' },
      delayMs: { type: 'integer', minimum: 0, default: 10, 'x-idflow': 'tuning', description: 'Length of each pause (0: no pauses).' },
    },
  },
  create(config) {
    let seen = 0;
    return {
      async apply(record) {
        seen += 1;
        if (config.delayMs > 0 && seen % config.every === 0) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
        return { ok: true, value: record.data };
      },
    };
  },
};
