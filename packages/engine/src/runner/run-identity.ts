// What a checkpoint is bound to (see restore-checkpoint.ts): the sink's target and the settings of
// every stage — `use:` and the effective `with:` (defaults filled in), without the keys whose
// schema role keeps them out (paths, secrets, the target itself, tuning; see WithKeyRole).

import { settingsOf } from '../config/with-key-roles.js';
import type { LoadedPipeline, StageConfig } from '../pipeline.js';
import type { PluginKind, Sink, SinkTarget } from '../plugin.js';
import type { PluginRegistry } from '../registry.js';

/** `path → JSON` of every setting of the pipeline's stages. */
export function pipelineSettings(pipeline: LoadedPipeline, registry: PluginRegistry): { [path: string]: string } {
  const { config } = pipeline;
  const stages: [string, StageConfig, PluginKind][] = [
    ['source', config.source, 'source'],
    ...(config.transforms ?? []).map((stage, i): [string, StageConfig, PluginKind] => [`transforms.${i}`, stage, 'transform']),
    ['sink', config.sink, 'sink'],
  ];
  const settings: { [path: string]: string } = {};
  for (const [path, stage, kind] of stages) {
    // The sink's name is part of its target, compared on its own.
    if (kind !== 'sink') settings[`${path}.use`] = JSON.stringify(stage.use);
    Object.assign(settings, settingsOf(registry.get(stage.use, kind).schema, stage.with ?? {}, [path, 'with']));
  }
  return settings;
}

/** The sink's target, or one naming the sink alone when it declares none. */
export async function targetOf(sink: Sink | undefined, sinkName: string): Promise<SinkTarget> {
  const declared = sink?.target ? await sink.target() : undefined;
  return { kind: declared?.kind ?? sinkName, fields: { ...declared?.fields } };
}
