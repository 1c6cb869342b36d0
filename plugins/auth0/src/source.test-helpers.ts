// Test helpers: a real PluginContext that records counts and warnings, and a reader that drains
// the source through its contract (create → read → close).

import type { Origin, PluginContext } from '@idflow/engine';
import type { Auth0SourceConfig } from './config.js';
import plugin from './index.js';
import type { Auth0UserRecord } from './record.js';

export interface RecordingContext extends PluginContext {
  counts: Record<string, number>;
  warnings: { message: string; origin?: Origin; kind?: string }[];
}

export function recordingContext(baseDir: string): RecordingContext {
  const counts: Record<string, number> = {};
  const warnings: { message: string; origin?: Origin; kind?: string }[] = [];
  return {
    baseDir,
    dryRun: false,
    signal: new AbortController().signal,
    counts,
    warnings,
    count(metric, by = 1) {
      counts[metric] = (counts[metric] ?? 0) + by;
    },
    warn(message, origin, kind) {
      warnings.push({ message, origin, ...(kind === undefined ? {} : { kind }) });
    },
    log() {},
  };
}

export interface ReadResult {
  records: { origin: Origin; data: Auth0UserRecord }[];
  rejects: { origin: Origin; reason: string; raw?: unknown; detail?: { [key: string]: unknown } }[];
  counts: Record<string, number>;
  warnings: { message: string; origin?: Origin; kind?: string }[];
  /** Temp stores seen while reading (to check they are gone after close). */
  storeDirs: string[];
}

/** Creates the source, reads everything, closes it. */
export async function readAll(baseDir: string, config: Auth0SourceConfig, resumeAfter?: Origin): Promise<ReadResult> {
  const ctx = recordingContext(baseDir);
  const source = await plugin.create(config, ctx);
  const result: ReadResult = { records: [], rejects: [], counts: ctx.counts, warnings: ctx.warnings, storeDirs: [] };
  try {
    for await (const item of source.read({ resumeAfter })) {
      const dirs = (source as unknown as { storeDirs: string[] }).storeDirs;
      for (const dir of dirs) if (!result.storeDirs.includes(dir)) result.storeDirs.push(dir);
      if (item.reject) result.rejects.push({ origin: item.origin, ...item.reject });
      else result.records.push({ origin: item.origin, data: item.data });
    }
  } finally {
    await source.close();
  }
  return result;
}

/** Records keyed by user_id. */
export function byUserId(result: ReadResult): Map<string, Auth0UserRecord> {
  return new Map(result.records.map((r) => [r.data.profile.user_id, r.data]));
}
