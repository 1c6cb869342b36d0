// Turns a pipeline's `source`/`transforms`/`sink` into opened plugin instances, each with its own
// context, and closes them all again on every path.

import type { LoadedPipeline } from '../pipeline.js';
import type { PluginContext, Sink, Source, Transform } from '../plugin.js';
import type { PluginRegistry } from '../registry.js';

export interface OpenedTransform {
  name: string;
  /** `transform:<name>`, as written in dead-letter lines. */
  stage: string;
  transform: Transform;
}

export interface OpenedStages {
  source: Source;
  sourceName: string;
  transforms: OpenedTransform[];
  sink?: Sink;
  sinkName: string;
}

export type ContextFor = (plugin: string, role: 'source' | 'transform' | 'sink') => PluginContext;

/** Opens the source only (the checkpoint needs its fingerprint before anything else is opened). */
export async function openSource(pipeline: LoadedPipeline, registry: PluginRegistry, contextFor: ContextFor): Promise<Source> {
  const { use, with: config } = pipeline.config.source;
  const plugin = registry.get(use, 'source');
  return await plugin.create((config ?? {}) as never, contextFor(use, 'source'));
}

/**
 * Opens the transforms and (unless `withSink` is false, as in a dry run) the sink. `opened`
 * receives each instance as soon as it exists, so a failure half-way still closes the earlier ones.
 */
export async function openRest(
  pipeline: LoadedPipeline,
  registry: PluginRegistry,
  contextFor: ContextFor,
  withSink: boolean,
  opened: { transforms: OpenedTransform[]; sink?: Sink },
): Promise<void> {
  for (const stage of pipeline.config.transforms ?? []) {
    const plugin = registry.get(stage.use, 'transform');
    const transform = await plugin.create((stage.with ?? {}) as never, contextFor(stage.use, 'transform'));
    opened.transforms.push({ name: stage.use, stage: `transform:${stage.use}`, transform });
  }
  if (!withSink) return;
  const { use, with: config } = pipeline.config.sink;
  const plugin = registry.get(use, 'sink');
  opened.sink = await plugin.create((config ?? {}) as never, contextFor(use, 'sink'));
}

/** Bounds a plugin call in time (see Watchdog); identity when no limit applies. */
export type LimitCall = <T>(call: Promise<T>, what: string) => Promise<T>;

/**
 * Closes everything that was opened, in pipeline order; failures — and a `close` that does not
 * settle within `limit` — become warnings, never hide the outcome.
 */
export async function closeStages(
  stages: Partial<OpenedStages>,
  warn: (plugin: string, message: string) => void,
  limit: LimitCall = (call) => call,
): Promise<void> {
  const closers: Array<[string, (() => Promise<void>) | undefined]> = [
    [stages.sourceName ?? 'source', stages.source && (() => stages.source!.close())],
    ...(stages.transforms ?? []).map(
      (t): [string, (() => Promise<void>) | undefined] => [t.name, t.transform.close && (() => t.transform.close!())],
    ),
    [stages.sinkName ?? 'sink', stages.sink && (() => stages.sink!.close())],
  ];
  for (const [name, close] of closers) {
    if (!close) continue;
    try {
      await limit(close(), `${name}: close`);
    } catch (error) {
      warn(name, `close failed: ${(error as Error).message}`);
    }
  }
}
