// An example custom plugin — copy this package to write your own.
//
// `example-redact` masks chosen fields of each record, e.g. to share a dead-letter file or a
// sample export without personal data. A pipeline loads it by listing this package (or its path)
// under `plugins:` and using it in `transforms:`:
//
//   plugins: [../plugins/example-redact]
//   transforms:
//     - use: example-redact
//       with: { fields: [email, user_metadata.phone], mask: "[hidden]" }
//
// The whole contract is `definePlugin({ name, kind, description, schema, create })`; `create`
// returns an object whose `apply` turns one record into `{ ok: true, value }` or a rejection.

import { definePlugin, type PluginContext, type Transform, type TransformResult } from '@idflow/engine';

export interface RedactConfig {
  /** Dotted paths of the fields to mask, e.g. `email` or `user_metadata.phone`. */
  fields: string[];
  mask?: string;
}

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `record` with the field at `path` replaced by `mask`. Only the objects on the path
 * are copied: the input is left untouched (the runner keeps it for the dead-letter output).
 */
export function maskField(record: JsonObject, path: readonly string[], mask: string): JsonObject {
  const [key, ...rest] = path;
  if (!Object.hasOwn(record, key)) return record;
  if (rest.length === 0) return { ...record, [key]: mask };
  const child = record[key];
  if (!isObject(child)) return record;
  const masked = maskField(child, rest, mask);
  return masked === child ? record : { ...record, [key]: masked };
}

const redact = definePlugin({
  name: 'example-redact',
  kind: 'transform',
  description: 'Example custom plugin: replaces the listed fields with a mask; rejects records that are not objects.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['fields'],
    properties: {
      fields: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', minLength: 1 },
        description: 'Dotted paths of the fields to mask, e.g. `email` or `user_metadata.phone`. Missing fields are left out, not added.',
      },
      mask: { type: 'string', default: '***', description: 'Text that replaces each masked value (default `***`).' },
    },
  },
  create(config: RedactConfig, ctx: PluginContext): Transform {
    const paths = config.fields.map((field) => field.split('.'));
    const mask = config.mask ?? '***';
    return {
      apply(record): TransformResult {
        if (!isObject(record.data)) {
          return { ok: false, rejection: { reason: 'record is not a JSON object', raw: record.data } };
        }
        let value = record.data;
        for (const path of paths) {
          const masked = maskField(value, path, mask);
          if (masked !== value) ctx.count('fieldsMasked');
          value = masked;
        }
        return { ok: true, value };
      },
    };
  },
});

export default redact;
