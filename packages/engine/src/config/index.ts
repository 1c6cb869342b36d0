// Pipeline files: loading (YAML, `${VAR}`, `--set`, validation) and plugin docs from schemas.
export { type LoadPipelineOptions, loadPipeline } from './load-pipeline.js';
export { interpolateText } from './interpolate.js';
export { parseSetOverride } from './overrides.js';
export type { PluginCatalog } from './plugin-catalog.js';
export { pipelineSchema } from './pipeline-schema.js';
export { renderPluginDocs } from './plugin-docs.js';
export { schemaDefinitionProblem, trustSchemas } from './validate-schema.js';
export { closestMatch, didYouMean } from './suggest.js';
export { reportPathOf } from './pipeline-paths.js';
