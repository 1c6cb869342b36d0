// For plugin authors' unit tests: a PluginContext that records what a plugin reports, so a test can
// assert counters, warnings and logs through the public contract alone.
import type { Origin, PluginContext } from './plugin.js';

export interface RecordingContext extends PluginContext {
  counts: Map<string, number>;
  warnings: { message: string; origin?: Origin; kind?: string }[];
  logs: { level: 'debug' | 'info'; message: string; fields?: { [key: string]: unknown } }[];
}

/** A fresh recording context (baseDir = cwd, not a dry run, a signal that never aborts unless given). */
export function recordingContext(options: { baseDir?: string; dryRun?: boolean; signal?: AbortSignal } = {}): RecordingContext {
  const counts = new Map<string, number>();
  const warnings: RecordingContext['warnings'] = [];
  const logs: RecordingContext['logs'] = [];
  return {
    baseDir: options.baseDir ?? process.cwd(),
    dryRun: options.dryRun ?? false,
    signal: options.signal ?? new AbortController().signal,
    counts,
    warnings,
    logs,
    count(metric, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message, origin, kind) {
      warnings.push({ message, origin, ...(kind === undefined ? {} : { kind }) });
    },
    log(level, message, fields) {
      logs.push({ level, message, fields });
    },
  };
}
