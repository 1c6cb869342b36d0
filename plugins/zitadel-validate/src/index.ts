// @idflow/plugin-zitadel-validate: ZITADEL's field rules, enforced before any sink.
import { zitadelValidatePlugin } from './zitadel-validate-plugin.js';

export { decodedBase64Length } from './base64-value.js';
export { isEmailAddress } from './email-address.js';
export { checkZitadelUserRecord, FIELD_NOTES, type FieldProblem, formatFieldProblem, inspectZitadelUserRecord, type RecordInspection, type TargetApi } from './field-rules.js';
export { findLoneSurrogates, loneSurrogateIndex } from './lone-surrogates.js';
export { v2EmailProblem } from './v2-email-rule.js';
export { GENDERS, USER_STATES, ZITADEL_LIMITS } from './limits.js';
export { countRunes, truncateRunes } from './runes.js';
export { DEFAULT_SPILL_THRESHOLD, UserNameRegistry, type UserNameRegistryOptions } from './user-name-registry.js';
export { type ZitadelValidateConfig, zitadelValidatePlugin } from './zitadel-validate-plugin.js';

export default zitadelValidatePlugin;
