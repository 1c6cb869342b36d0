// The JSON Schema of a pipeline file's top level. Each stage's `with:` block is checked separately
// against the schema of the plugin it names (see validate-pipeline.ts).
import type { JsonSchema } from '../plugin.js';
import { durationSchema } from './duration.js';

const stage = (role: string): JsonSchema => ({
  type: 'object',
  description: `The ${role}: which plugin to use and its configuration.`,
  additionalProperties: false,
  required: ['use'],
  properties: {
    use: { type: 'string', minLength: 1, description: 'Plugin name (see `idflow plugins`).' },
    with: { type: ['object', 'null'], description: "The plugin's configuration (see `idflow plugins <name>`)." },
  },
});

const outputFile = (what: string): JsonSchema => ({
  type: 'object',
  description: what,
  additionalProperties: false,
  required: ['path'],
  properties: { path: { type: 'string', minLength: 1, description: 'File path, relative to the pipeline file.' } },
});

/** Schema of the pipeline's top-level keys. */
export const pipelineSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'source', 'sink'],
  properties: {
    version: { const: 1, description: 'Pipeline file format version; always 1.' },
    name: { type: 'string', minLength: 1, description: "Pipeline name used in logs and reports (default: the file's name)." },
    plugins: {
      type: 'array',
      description: 'Custom plugin modules to load: paths relative to the pipeline file, or package names.',
      items: { type: 'string', minLength: 1 },
    },
    source: stage('source that reads records'),
    transforms: { type: 'array', description: 'Transforms applied to every record, in order.', items: stage('transform') },
    sink: stage('sink that delivers records'),
    dlq: outputFile('Dead-letter output (NDJSON): every refused record, whole (for replay), with stage, reason and origin. Beside it: failures.csv (who was refused and why, without the record: shareable), warnings.csv (each warning with the user it is about), report.json and report.html.'),
    checkpoint: outputFile('Checkpoint file that lets an interrupted run resume.'),
    concurrency: { type: 'integer', minimum: 1, maximum: 256, description: 'Sink calls in flight at once.' },
    maxRejects: {
      description:
        'Stop cleanly once more records than this were rejected: a count, or a percentage of records read like "5%" (judged once 1,000 records were read, and at the end).',
      anyOf: [
        { type: 'integer', minimum: 0, description: 'a count (an integer >= 0)' },
        { type: 'string', pattern: '^(100|[0-9]{1,2})(\\.[0-9]+)?%$', description: 'a percentage like "5%"' },
      ],
    },
    timeouts: {
      type: 'object',
      description: 'How long the runner waits before it gives up on a plugin or on the target.',
      additionalProperties: false,
      properties: {
        transform: durationSchema('Longest one transform may take on one record; past it the record is rejected with that reason (default "5m").'),
        sinkWrite: durationSchema(
          'Longest one sink `write` call may take; past it its records are re-sent like a `retryable` answer (default "30m", above the ZITADEL sinks\' own retry budgets).',
        ),
        targetUnavailable: durationSchema(
          'Stop the run (exit 1, checkpoint saved) once the target has delivered nothing this long while records came back unavailable; the users not delivered are sent by the next run (default "5m").',
        ),
      },
    },
  },
};

/** The top-level keys, for did-you-mean. */
export const pipelineKeys: readonly string[] = Object.keys(pipelineSchema.properties as object);
