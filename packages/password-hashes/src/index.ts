// Password hash formats that ZITADEL's passwap verifies: parse, bound-check, convert, verify.
// Shared by the hash-validator plugin and the emulator's real login checks.
export * from './types.js';
export { parsePasswordHash, isHashParseError } from './parse-hash.js';
export { COST_BOUNDS, checkCostBounds } from './cost-bounds.js';
export { type PasswapConfig, type PasswapHasher, type PasswapValidation, passwapValidate } from './passwap-validate.js';
export { convertAuth0Hash, auth0ConversionProblem } from './auth0-conversion.js';
export { describeForeignHash } from './foreign-hashes.js';
export { type VerifyOutcome, verifyPassword, verifyPasswordOutcome, verifyParsedHash } from './verify-password.js';
export { hashPassword } from './hash-password.js';
