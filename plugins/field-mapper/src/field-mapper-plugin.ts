// The `field-mapper` transform: builds each output record from the preset (if any), then applies
// the mapping entries in the order written. A record the preset cannot map goes to the
// dead-letter output with the reason.

import { type ConfigCheckProblem, ConfigError, definePlugin, type PluginContext, type RecordEnvelope, type Transform, type TransformResult } from '@idflow/engine';
import { compileFieldMapperConfig, type FieldMapperPlan } from './compile-config.js';
import { type FieldMapperConfig, fieldMapperSchema } from './config-schema.js';
import { evaluateExpression } from './expression/evaluate-expression.js';
import { writeField, writeMetadataEntry } from './mapping/mapping-target.js';
import { type MappingReport, mapAuth0User } from './presets/auth0-to-zitadel.js';

type Fields = { [key: string]: unknown };

/**
 * One report for the whole run, pointed at the record being mapped: mapping is synchronous, so the
 * record is always the current one, and no report or closures are allocated per record.
 */
function runReport(ctx: PluginContext): { report: MappingReport; setRecord: (record: RecordEnvelope) => void } {
  let current: RecordEnvelope | undefined;
  const report: MappingReport = {
    count: (metric, by) => ctx.count(metric, by),
    warn: (message, kind) => ctx.warn(message, current?.origin, kind),
  };
  return { report, setRecord: (record) => (current = record) };
}

/** Applies a compiled plan to one record. */
export function applyPlan(plan: FieldMapperPlan, record: RecordEnvelope, report: MappingReport): TransformResult<Fields> {
  let output: Fields = {};
  if (plan.preset) {
    const mapped = mapAuth0User(record.data, plan.preset, report);
    if (!mapped.ok) return mapped;
    output = mapped.value as unknown as Fields;
  }
  for (const entry of plan.mapping) {
    const events = { truncated: () => report.count(`truncated ${entry.name}`) };
    const value = evaluateExpression(entry.expression, record.data, events);
    if (entry.target.kind === 'field') {
      writeField(output, entry.target.segments, value);
      continue;
    }
    const problem = writeMetadataEntry(output, entry.target.key, value);
    if (problem === undefined) continue;
    if (plan.onOversized === 'reject') return { ok: false, rejection: { reason: `${problem} (metadata.onOversized: reject)` } };
    report.count('metadata entries dropped (over ZITADEL limits)');
    report.warn(`metadata entry dropped: ${problem}`, 'metadata entry dropped');
  }
  report.count('records mapped');
  return { ok: true, value: output };
}

/** The `field-mapper` transform plugin. */
export const fieldMapperPlugin = definePlugin({
  name: 'field-mapper',
  kind: 'transform' as const,
  description: 'Maps records with a preset (auth0-to-zitadel) and/or target ← expression entries.',
  schema: fieldMapperSchema,
  validate(config: FieldMapperConfig): ConfigCheckProblem[] {
    try {
      compileFieldMapperConfig(config);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map((problem) => ({ path: pathBelowWith(problem.path), message: problem.message }));
    }
  },
  create(config: FieldMapperConfig, ctx: PluginContext): Transform<unknown, Fields> {
    const plan = compileFieldMapperConfig(config);
    const { report, setRecord } = runReport(ctx);
    return {
      apply: (record) => {
        setRecord(record);
        return applyPlan(plan, record, report);
      },
    };
  },
});

/** `with.metadata.include[0]` → ['metadata', 'include', 0]; a mapping target such as `profile.firstName` stays one key. */
function pathBelowWith(path: string): (string | number)[] {
  const rest = path.replace(/^with\.?/, '');
  if (rest === '') return [];
  const mappingTarget = /^mapping\.(.+)$/.exec(rest);
  if (mappingTarget) return ['mapping', mappingTarget[1]];
  return rest.split('.').flatMap((part) => {
    const indexed = /^(.*)\[(\d+)\]$/.exec(part);
    return indexed ? [indexed[1], Number(indexed[2])] : [part];
  });
}
