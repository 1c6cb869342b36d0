// The decision for one encoded hash: importable as is, importable after conversion, or refused
// (invalid or unsupported, with ZITADEL's reason). Pure, so every rule is testable on its own.
import {
  auth0ConversionProblem,
  COST_BOUNDS,
  type ConvertedHash,
  type CostBounds,
  checkCostBounds,
  convertAuth0Hash,
  type HashAlgorithm,
  type ParsedHash,
  parsePasswordHash,
} from '@idflow/password-hashes';

export type HashJudgement =
  | { verdict: 'accept'; parsed: ParsedHash; conversion?: ConvertedHash }
  | { verdict: 'refuse'; kind: 'invalid' | 'unsupported'; reason: string; algorithm?: HashAlgorithm };

const allowList = (allow: ReadonlySet<HashAlgorithm>) => (allow.size > 0 ? [...allow].join(', ') : 'nothing');

/**
 * Judges `encoded` for a target whose enabled verifiers are `allow`: converts Auth0 forms when the
 * target verifier is allowed, parses fully, then checks the algorithm and its cost bounds.
 */
export function judgeHash(encoded: string, allow: ReadonlySet<HashAlgorithm>, bounds: CostBounds = COST_BOUNDS): HashJudgement {
  const conversion = convertAuth0Hash(encoded);
  if (conversion && !allow.has(conversion.to)) {
    return {
      verdict: 'refuse',
      kind: 'unsupported',
      algorithm: conversion.to,
      reason: `${conversion.from} hash converts only to ${conversion.to}, which the target does not accept (allow: ${allowList(allow)})`,
    };
  }
  const parsed = parsePasswordHash(conversion?.encoded ?? encoded);
  if (!parsed.ok) {
    const problem = auth0ConversionProblem(encoded) ?? parsed;
    return { verdict: 'refuse', kind: problem.kind, reason: problem.reason, algorithm: problem.algorithm };
  }
  if (!allow.has(parsed.algorithm)) {
    return {
      verdict: 'refuse',
      kind: 'unsupported',
      algorithm: parsed.algorithm,
      reason: `${parsed.algorithm} hashes are not accepted by the target (allow: ${allowList(allow)})`,
    };
  }
  const outOfBounds = checkCostBounds(parsed, bounds);
  if (outOfBounds) return { verdict: 'refuse', kind: 'invalid', algorithm: parsed.algorithm, reason: outOfBounds };
  return { verdict: 'accept', parsed, conversion };
}
