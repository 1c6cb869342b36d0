// @idflow/plugin-filter: skips records by a condition (the field mapper's expression language).
import { filterPlugin } from './filter-plugin.js';

export { type CompiledFilter, compileFilter, type FilterConfig, filterSchema } from './filter-config.js';
export { createFilter, filterPlugin } from './filter-plugin.js';

export default filterPlugin;
