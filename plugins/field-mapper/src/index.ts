// @idflow/plugin-field-mapper: declarative field mapping, with the auth0-to-zitadel preset.
import { fieldMapperPlugin } from './field-mapper-plugin.js';

export { type FieldMapperConfig, fieldMapperSchema } from './config-schema.js';
export { parseExpression, parseMappingValue, pathsOf } from './expression/parse-expression.js';
export { type EvaluationEvents, FUNCTION_NAMES, PREDICATE_NAMES } from './expression/functions.js';
export { evaluateExpression } from './expression/evaluate-expression.js';
export { type Expression, ExpressionError } from './expression/syntax.js';
export { applyPlan, fieldMapperPlugin } from './field-mapper-plugin.js';
export { compileFieldMapperConfig, type FieldMapperPlan } from './compile-config.js';
export { type Auth0PresetOptions, type MappingReport, mapAuth0User } from './presets/auth0-to-zitadel.js';
export { splitDisplayName } from './rules/split-name.js';
export { toPreferredLanguage } from './rules/preferred-language.js';
export { toE164 } from './rules/e164.js';

export default fieldMapperPlugin;
export { AUTH0_PRESET_PROFILE_FIELDS } from './presets/auth0-profile-fields.js';
