// Password hash formats that ZITADEL's passwap verifies: parse, bound-check, convert, verify.
// Shared by the hash-validator plugin and the emulator's real login checks.
export * from './types.js';
