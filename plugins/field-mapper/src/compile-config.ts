// Turns the `with:` block into a ready plan once, when the transform is created: expressions
// parsed, targets checked, preset options defaulted. Every problem is collected and thrown in one
// ConfigError, each with its path below the stage (`with.mapping.<target>`).

import { type ConfigProblem, ConfigError } from '@idflow/engine';
import { type FieldMapperConfig, PRESET_OPTIONS } from './config-schema.js';
import { parseMappingValue, pathsOf } from './expression/parse-expression.js';
import { type Expression, ExpressionError } from './expression/syntax.js';
import { type MappingTarget, parseMappingTarget } from './mapping/mapping-target.js';
import { METADATA_SOURCES, type MetadataSource } from './presets/auth0-metadata.js';
import type { Auth0PresetOptions } from './presets/auth0-to-zitadel.js';

export interface CompiledMappingEntry {
  /** The key as written, for messages. */
  name: string;
  target: MappingTarget;
  expression: Expression;
}

export interface FieldMapperPlan {
  preset?: Auth0PresetOptions;
  mapping: CompiledMappingEntry[];
  /** How a too-large `metadata.<key>` mapping value is handled (the preset's metadata.onOversized). */
  onOversized: 'reject' | 'drop';
}

/** The top-level fields of the auth0 source's records, the only roots a preset mapping can read. */
const AUTH0_RECORD_ROOTS = ['profile', 'password', 'passwordStatus'];

function oneOf<T extends string>(problems: ConfigProblem[], path: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ path, message: `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})` });
  return fallback;
}

function compilePreset(config: FieldMapperConfig, problems: ConfigProblem[]): Auth0PresetOptions {
  const metadata = config.metadata ?? {};
  const include = metadata.include ?? [...METADATA_SOURCES];
  for (const [i, source] of include.entries()) {
    if (!METADATA_SOURCES.includes(source)) problems.push({ path: `with.metadata.include[${i}]`, message: `must be one of ${METADATA_SOURCES.join(', ')}` });
  }
  const keyPrefix: { [source in MetadataSource]: string } = {
    user_metadata: metadata.keyPrefix?.user_metadata ?? 'user_metadata.',
    app_metadata: metadata.keyPrefix?.app_metadata ?? 'app_metadata.',
  };
  const idpLinks = new Map<string, string>();
  for (const [connection, idpId] of Object.entries(config.idpLinks ?? {})) {
    if (typeof idpId !== 'string' || idpId === '') problems.push({ path: `with.idpLinks.${connection}`, message: 'must be a ZITADEL IdP id' });
    else idpLinks.set(connection, idpId);
  }
  return {
    // `username`, falling back to the email: Auth0 users of a connection with usernames log in with
    // either, and ZITADEL accepts the user name and, unless LoginPolicy.DisableLoginWithEmail
    // (internal/domain/policy_login.go), the e-mail too (issue 17 §10; docs/zitadel-semantics.md). The
    // same choice as zitadel-tools (e6eff08) cmd/migration/auth0/migration.go createHumanUsers:
    // "Use username if available, otherwise fall back to email".
    userName: oneOf(problems, 'with.userName', config.userName, ['email', 'username', 'user_id'], 'username'),
    emailVerified: oneOf(problems, 'with.emailVerified', config.emailVerified, ['source', 'all-verified', 'all-unverified'], 'source'),
    preferredLanguage: oneOf(problems, 'with.preferredLanguage', config.preferredLanguage, ['tag', 'base'], 'tag'),
    metadata: {
      include,
      keyPrefix,
      onOversized: oneOf(problems, 'with.metadata.onOversized', metadata.onOversized, ['reject', 'drop'], 'reject'),
    },
    idpLinks,
    blockedState: oneOf(problems, 'with.blockedState', config.blockedState, ['locked', 'inactive'], 'locked'),
  };
}

function compileMapping(config: FieldMapperConfig, problems: ConfigProblem[]): CompiledMappingEntry[] {
  const entries: CompiledMappingEntry[] = [];
  for (const [name, value] of Object.entries(config.mapping ?? {})) {
    const path = `with.mapping.${name}`;
    const target = parseMappingTarget(name);
    if (typeof target === 'string') {
      problems.push({ path, message: target });
      continue;
    }
    let expression: Expression;
    try {
      expression = parseMappingValue(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path, message: `${error.message} in ${JSON.stringify(value)}` });
      continue;
    }
    if (config.preset === 'auth0-to-zitadel') {
      for (const read of pathsOf(expression)) {
        const root = read.segments[0];
        if (typeof root === 'string' && !AUTH0_RECORD_ROOTS.includes(root)) {
          problems.push({
            path,
            message: `source path "${read.text}" does not start with ${AUTH0_RECORD_ROOTS.join(', ')}; write a constant in quotes, e.g. '"${read.text}"'`,
          });
        }
      }
    }
    entries.push({ name, target, expression });
  }
  return entries;
}

/** Checks and prepares a field-mapper config; throws a ConfigError listing every problem. */
export function compileFieldMapperConfig(config: FieldMapperConfig): FieldMapperPlan {
  const problems: ConfigProblem[] = [];
  if (config.preset !== undefined && config.preset !== 'auth0-to-zitadel') {
    problems.push({ path: 'with.preset', message: `unknown preset ${JSON.stringify(config.preset)} (known: auth0-to-zitadel)` });
  }
  if (config.preset === undefined) {
    for (const option of PRESET_OPTIONS) {
      if (config[option] !== undefined) problems.push({ path: `with.${option}`, message: 'only applies with preset: auth0-to-zitadel' });
    }
    if (Object.keys(config.mapping ?? {}).length === 0) problems.push({ path: 'with', message: 'set a preset, a mapping, or both' });
  }
  const preset = config.preset === 'auth0-to-zitadel' ? compilePreset(config, problems) : undefined;
  const mapping = compileMapping(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { preset, mapping, onOversized: preset?.metadata.onOversized ?? 'reject' };
}
