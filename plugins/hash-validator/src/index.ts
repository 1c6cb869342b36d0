// @idflow/plugin-hash-validator: every password hash importable by the target ZITADEL, or a clearly
// reported reject / password drop.
import { hashValidatorPlugin } from './hash-validator-plugin.js';

export { type HashPolicy, type HashValidatorConfig, hashValidatorSchema, resolveHashValidatorConfig, type VerifyAccount } from './config.js';
export { createHashValidator, hashValidatorPlugin } from './hash-validator-plugin.js';
export { type HashJudgement, judgeHash } from './judge-hash.js';

export default hashValidatorPlugin;
