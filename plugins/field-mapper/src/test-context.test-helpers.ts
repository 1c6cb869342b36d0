// A PluginContext that records what a plugin reports, for unit tests.

export { type RecordingContext, recordingContext } from '@idflow/engine';

export function envelope<T>(data: T, line = 1) {
  return { seq: line, origin: { file: 'users.ndjson', line, offset: 0 }, data };
}

/** A MappingReport that records counts, warnings and the kinds of the warnings. */
export function recordingReport() {
  const counts = new Map<string, number>();
  const warnings: string[] = [];
  const kinds: string[] = [];
  return {
    counts,
    warnings,
    kinds,
    count(metric: string, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message: string, kind: string) {
      warnings.push(message);
      kinds.push(kind);
    },
  };
}
