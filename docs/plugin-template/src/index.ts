// `prefix-field`: an idflow transform written outside the idflow repository, against the engine's
// public types only (`@idflow/engine`). It shows the three answers a transform can give:
// - a new value (`{ ok: true, value }`): the field, prefixed;
// - a skip (`{ ok: false, skip }`): a record without the field is left out on purpose — counted
//   apart, not a failure, not in the dead-letter file;
// - a rejection (`{ ok: false, rejection }`): a field that is not text is a data problem — the
//   record goes to the dead-letter file with the reason, and the run goes on.
import { definePlugin, type PluginContext, type RecordEnvelope, type Transform, type TransformResult } from '@idflow/engine';

export interface PrefixFieldConfig {
  /** The top-level field to prefix, e.g. `email`. */
  field: string;
  /** The text put in front of it. */
  prefix: string;
}

type Row = { [key: string]: unknown };

const prefixField = definePlugin({
  name: 'prefix-field',
  kind: 'transform',
  description: 'Puts a prefix in front of a text field; skips records without it, rejects records where it is not text.',
  // The `with:` block's JSON Schema: idflow validates pipelines against it (every problem located)
  // and documents it (`idflow plugins prefix-field --pipeline <file>`).
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'prefix'],
    properties: {
      field: { type: 'string', minLength: 1, description: 'The top-level field to prefix, e.g. `email`.' },
      prefix: { type: 'string', description: 'The text put in front of it.' },
    },
  },
  create(config: PrefixFieldConfig, ctx: PluginContext): Transform<Row, Row> {
    return {
      apply(record: RecordEnvelope<Row>): TransformResult<Row> {
        const value = record.data[config.field];
        if (value === undefined) return { ok: false, skip: { reason: `no ${config.field}` } };
        if (typeof value !== 'string') return { ok: false, rejection: { reason: `${config.field} is not text` } };
        ctx.count('prefixed');
        // A new object: the runner keeps the original record for the dead-letter file.
        return { ok: true, value: { ...record.data, [config.field]: `${config.prefix}${value}` } };
      },
    };
  },
});

export default prefixField;
