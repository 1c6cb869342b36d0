// `--set path=value` overrides, applied to the parsed document after interpolation.
//
// `path` is dotted, with sequence indices as numbers: `sink.with.path`, `transforms.0.with.mask`.
// `value` is read as YAML (`5` → number, `true` → boolean, `[a, b]` → list); anything that does
// not read as a scalar or a flow collection (or holds ` #`) stays the literal string, and so does a
// whole number a JavaScript number cannot hold exactly (an id such as 200000000000000001). Where the
// schema wants a string, a value read as a number or boolean is given back its text (load-pipeline.ts). Overrides are not interpolated:
// the shell has already expanded them.
import { type Document, isCollection, isScalar, isSeq, parse as parseYaml } from 'yaml';
import { keepsItsDigits } from './typed-scalar.js';
import type { YamlPath } from './yaml-locator.js';

export interface SetOverride {
  /** The argument as given, for messages. */
  text: string;
  /** The value's text, after `=`: where the schema wants a string, a value read as a number or boolean is put back to it. */
  raw: string;
  path: YamlPath;
  value: unknown;
}

/** Parses one `path=value` argument, or returns why it cannot be used. */
export function parseSetOverride(text: string): SetOverride | { problem: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { problem: `--set "${text}": expected path=value, e.g. sink.with.path=out.ndjson` };
  const rawPath = text.slice(0, eq).trim();
  const segments = rawPath.split('.');
  if (segments.some((segment) => segment === '')) return { problem: `--set "${text}": empty segment in path "${rawPath}"` };
  const path = segments.map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
  const raw = text.slice(eq + 1);
  return { text, path, raw, value: parseOverrideValue(raw) };
}

function parseOverrideValue(raw: string): unknown {
  const trimmed = raw.trim();
  const quotedOrFlow = /^["'[{]/.test(trimmed);
  // Unquoted text with " #" would lose its tail to YAML's comment syntax: take it literally.
  if (trimmed === '' || (!quotedOrFlow && /(^|\s)#/.test(trimmed))) return raw;
  try {
    const parsed: unknown = parseYaml(raw);
    if (typeof parsed === 'object' && parsed !== null && !quotedOrFlow) return raw;
    // An id past 2^53 or with leading zeros stays the text it is (see typed-scalar.ts).
    if (typeof parsed === 'number' && !keepsItsDigits(trimmed, parsed)) return raw;
    return parsed;
  } catch {
    return raw;
  }
}

export interface AppliedOverrides {
  /** Paths that were set (so problems under them can say "from --set"). */
  applied: SetOverride[];
  problems: string[];
}

/** Applies `--set` arguments to the document in order; later ones win. */
export function applySetOverrides(doc: Document, args: readonly string[]): AppliedOverrides {
  const applied: SetOverride[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    const override = parseSetOverride(arg);
    if ('problem' in override) {
      problems.push(override.problem);
      continue;
    }
    const conflict = prepareParents(doc, override.path);
    if (conflict !== undefined) {
      problems.push(`--set "${arg}": "${conflict}" is not a map or list, so it has no "${override.path.slice(conflict.split('.').length).join('.')}"`);
      continue;
    }
    doc.setIn(override.path, doc.createNode(override.value));
    applied.push(override);
  }
  return { applied, problems };
}

/**
 * Turns empty (null) values along `path` into empty collections so the override can go below them
 * (`with:` left empty in the file); returns the dotted prefix that holds a real scalar, if any.
 */
function prepareParents(doc: Document, path: YamlPath): string | undefined {
  for (let i = 1; i < path.length; i++) {
    const prefix = path.slice(0, i);
    const node: unknown = doc.getIn(prefix, true);
    if (node === undefined || node === null) return undefined;
    if (isScalar(node) && (node.value === null || node.value === undefined)) {
      doc.setIn(prefix, doc.createNode(typeof path[i] === 'number' ? [] : {}));
      continue;
    }
    if (!isCollection(node)) return prefix.join('.');
    if (isSeq(node) && typeof path[i] !== 'number') return prefix.join('.');
  }
  return undefined;
}
