// The `filter` transform: a record the condition keeps goes on unchanged; any other is skipped —
// counted under the filter's reason, not rejected, not dead-lettered (see Skip in the engine's
// plugin contract). A condition that gives something else than true, false or nothing (a path to
// text, say) cannot decide: that record is rejected with the reason, so the mistake shows.
import { type ConfigCheckProblem, definePlugin, type PluginContext, type RecordEnvelope, type Transform, type TransformResult } from '@idflow/engine';
import { evaluateExpression, ExpressionError } from '@idflow/plugin-field-mapper';
import { type CompiledFilter, compileFilter, type FilterConfig, filterSchema } from './filter-config.js';

/** Conditions use no function that reports events (truncate), so they have nothing to report. */
const noEvents = { truncated: () => {} };

/** Opens one filter for a run. */
export function createFilter(config: FilterConfig): Transform {
  const filter: CompiledFilter = compileFilter(config);
  const skip: TransformResult = { ok: false, skip: { reason: filter.reason } };
  const undecided = (type: string): TransformResult => ({
    ok: false,
    rejection: { reason: `filter: the condition gave ${type}, not true or false: ${config.condition.trim()}` },
  });
  return {
    apply(record: RecordEnvelope): TransformResult {
      const value = evaluateExpression(filter.condition, record.data, noEvents);
      if (value !== true && value !== false && value !== undefined && value !== null) return undecided(Array.isArray(value) ? 'a list' : `a ${typeof value}`);
      return (value === true) !== filter.exclude ? { ok: true, value: record.data } : skip;
    },
  };
}

/** The `filter` transform plugin. */
export const filterPlugin = definePlugin({
  name: 'filter',
  kind: 'transform' as const,
  description: 'Keeps the records a condition holds for and skips the others (or the reverse with exclude): skipped users are counted apart, never dead-lettered.',
  schema: filterSchema,
  validate(config: FilterConfig): ConfigCheckProblem[] {
    try {
      compileFilter(config);
      return [];
    } catch (error) {
      if (error instanceof ExpressionError) return [{ path: ['condition'], message: error.message }];
      throw error;
    }
  },
  // The filter counts nothing itself: the runner counts its skips by reason.
  create(config: FilterConfig, _ctx: PluginContext): Transform {
    return createFilter(config);
  },
});
