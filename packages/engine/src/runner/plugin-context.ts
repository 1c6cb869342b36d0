// Builds the PluginContext each plugin gets: its counters, warnings and logs feed the run's tally
// and event stream under the plugin's name.

import type { PluginContext } from '../plugin.js';
import type { RunEvents } from './run-events.js';
import type { RunTally } from './run-tally.js';

export interface PluginContextDeps {
  baseDir: string;
  dryRun: boolean;
  tally: RunTally;
  events: RunEvents;
  /** The run's private temp folder (see run-temp-dir.ts). */
  tempDir?: string;
  /** `idflow diff`: the per-user changes file (given to the sink only). */
  diffPath?: string;
}

/** The context for the plugin named `plugin`; `signal` is the one that plugin should listen to. */
export function createPluginContext(plugin: string, signal: AbortSignal, deps: PluginContextDeps): PluginContext {
  const { tally, events } = deps;
  return {
    baseDir: deps.baseDir,
    dryRun: deps.dryRun,
    signal,
    tempDir: deps.tempDir,
    ...(deps.diffPath ? { diffPath: deps.diffPath } : {}),
    count(metric, by = 1) {
      tally.addMetric(plugin, metric, by);
    },
    warn(message, origin) {
      tally.warnings += 1;
      events.emit({ type: 'warning', plugin, message, origin });
    },
    log(level, message, fields) {
      events.emit({ type: 'log', level, plugin, message, fields });
    },
  };
}
