// A PluginContext that records what a plugin reports, for unit tests.
import type { Origin, PluginContext } from '@idflow/engine';

export interface RecordingContext extends PluginContext {
  counts: Map<string, number>;
  warnings: { message: string; origin?: Origin }[];
}

export function recordingContext(): RecordingContext {
  const counts = new Map<string, number>();
  const warnings: { message: string; origin?: Origin }[] = [];
  return {
    baseDir: process.cwd(),
    dryRun: false,
    signal: new AbortController().signal,
    counts,
    warnings,
    count(metric, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message, origin) {
      warnings.push({ message, origin });
    },
    log() {},
  };
}

export function envelope<T>(data: T, line = 1) {
  return { seq: line, origin: { file: 'users.ndjson', line, offset: 0 }, data };
}

/** A MappingReport that records counts and warnings. */
export function recordingReport() {
  const counts = new Map<string, number>();
  const warnings: string[] = [];
  return {
    counts,
    warnings,
    count(metric: string, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message: string) {
      warnings.push(message);
    },
  };
}
