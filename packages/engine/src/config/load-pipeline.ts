// Reads a pipeline YAML file into a validated `LoadedPipeline`:
//   parse (positions kept) → `${VAR}` interpolation → `--set` overrides → top-level schema →
//   custom plugin modules → each stage's plugin and its `with:` schema.
// Every problem found on the way is collected and thrown together in one ConfigError, each located
// as `file:line:col path: message`.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { type ConfigProblem, ConfigError } from '../errors.js';
import type { LoadedPipeline, PipelineConfig, StageConfig } from '../pipeline.js';
import type { JsonSchema, Plugin, PluginKind } from '../plugin.js';
import { interpolateDocument, type TypedValue } from './interpolate.js';
import { applySetOverrides, type SetOverride } from './overrides.js';
import type { PluginCatalog } from './plugin-catalog.js';
import { pipelineSchema } from './pipeline-schema.js';
import type { SchemaProblem } from './schema-problems.js';
import { didYouMean } from './suggest.js';
import { trustSchemas, validateAgainstSchema } from './validate-schema.js';
import { formatYamlPath, YamlLocator, type YamlPath } from './yaml-locator.js';
import { checkPipelinePaths, pipelinePaths } from './pipeline-paths.js';
import { secretPaths, startsWith } from './with-key-roles.js';

// The engine's own schema is checked against the meta-schema by its tests, not at each start.
trustSchemas([pipelineSchema]);

export interface LoadPipelineOptions {
  /** `--set path=value` arguments, applied in order after interpolation. */
  set?: readonly string[];
  /** Variables for `${VAR}` interpolation (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Plugins to resolve `use:` against; custom `plugins:` modules are loaded into it. */
  registry: PluginCatalog;
  /**
   * Check the pipeline's files on disk (default true): inputs exist, key files are readable, no
   * output is an input or lands on `/`. Off for loading a pipeline only to read its settings.
   */
  checkFiles?: boolean;
}

/** The pipeline file parsed, positions kept; a ConfigError when it cannot be read or is not YAML. */
export async function readPipelineDocument(file: string): Promise<{ doc: Document; lines: LineCounter }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file, path: '', message: `cannot read pipeline file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({ file, ...lines.linePos(error.pos[0]), path: '', message: `YAML syntax: ${error.message.split('\n')[0]}` })),
    );
  }
  return { doc, lines };
}

/** Loads, interpolates, overrides and validates a pipeline file; throws a ConfigError listing every problem. */
export async function loadPipeline(file: string, options: LoadPipelineOptions): Promise<LoadedPipeline> {
  const { doc, lines } = await readPipelineDocument(file);

  const problems = new ProblemList(file, new YamlLocator(doc, lines));
  const interpolated = interpolateDocument(doc, options.env ?? process.env);
  for (const problem of interpolated.problems) problems.addUnchecked(problem.path, problem.message);
  const overrides = applySetOverrides(doc, options.set ?? []);
  for (const message of overrides.problems) problems.addUnlocated(message);
  problems.overrides = overrides.applied;

  const raw: unknown = doc.toJS();
  if (!isRecord(raw)) {
    problems.addUnlocated('a pipeline must be a map with at least version, source and sink');
    throw problems.toError();
  }
  // Values typed from text (`${PORT}`, `--set orgId=123`) get their text back where a schema wants a string.
  const typedFromText: TypedValue[] = [
    ...interpolated.typed,
    ...overrides.applied.filter((o) => typeof o.value === 'number' || typeof o.value === 'boolean').map((o) => ({ path: o.path, text: o.raw.trim() })),
  ];
  const validate = (schema: JsonSchema, data: unknown, base: YamlPath) => validateKeepingStrings(schema, data, base, raw, typedFromText);
  problems.addSchemaProblems(validate(pipelineSchema, raw, []));

  const baseDir = dirname(resolve(file));
  await loadCustomPlugins(raw.plugins, baseDir, options.registry, problems);
  const available = options.registry.list();
  const stages: [YamlPath, unknown, PluginKind][] = [
    [['source'], raw.source, 'source'],
    ...(Array.isArray(raw.transforms) ? raw.transforms.map((stage, i): [YamlPath, unknown, PluginKind] => [['transforms', i], stage, 'transform']) : []),
    [['sink'], raw.sink, 'sink'],
  ];
  const valid = stages.filter(([path, stage, kind]) => checkStage(path, stage, kind, available, problems, validate));

  const config = { ...raw, name: typeof raw.name === 'string' ? raw.name : basename(file, extname(file)) } as unknown as PipelineConfig;
  const findPlugin = (name: string, kind: PluginKind) => available.find((plugin) => plugin.name === name && plugin.kind === kind);
  // Only stages whose `with:` is valid are looked at: the others already have their problems.
  const checkable = (name: string, kind: PluginKind) => (valid.some(([, stage, k]) => k === kind && (stage as StageConfig).use === name) ? findPlugin(name, kind) : undefined);
  const warnings: ConfigProblem[] = [];
  if (options.checkFiles !== false) {
    const paths = pipelinePaths(config, baseDir, checkable);
    for (const problem of checkPipelinePaths(paths, file, interpolated.emptyVariables)) {
      if (problems.isUnresolved(problem.path)) continue;
      if (problem.warning) warnings.push(problems.locate(problem.path, problem.message));
      else problems.add(problem.path, problem.message);
    }
  }
  if (problems.count > 0) throw problems.toError();
  return { config, file, baseDir, warnings, setFlags: redactedSetFlags(overrides.applied, config, findPlugin) };
}

/** The `--set` arguments as given, a secret's value (a key under a `secret` role) replaced by `***`. */
function redactedSetFlags(applied: readonly SetOverride[], config: PipelineConfig, findPlugin: (name: string, kind: PluginKind) => Plugin | undefined): string[] {
  const stages: [YamlPath, StageConfig | undefined, PluginKind][] = [
    [['source'], config.source, 'source'],
    ...(config.transforms ?? []).map((stage, i): [YamlPath, StageConfig, PluginKind] => [['transforms', i], stage, 'transform']),
    [['sink'], config.sink, 'sink'],
  ];
  const secrets: YamlPath[] = [];
  for (const [path, stage, kind] of stages) {
    const plugin = stage && findPlugin(stage.use, kind);
    if (plugin) for (const secret of secretPaths(plugin.schema, stage.with ?? {})) secrets.push([...path, 'with', ...secret]);
  }
  return applied.map((override) => (secrets.some((secret) => startsWith(override.path, secret)) ? `${formatYamlPath(override.path)}=***` : override.text));
}

async function loadCustomPlugins(modules: unknown, baseDir: string, registry: PluginCatalog, problems: ProblemList): Promise<void> {
  if (!Array.isArray(modules)) return;
  for (const [i, specifier] of modules.entries()) {
    if (typeof specifier !== 'string' || specifier === '') continue;
    try {
      await registry.loadModule(specifier, baseDir);
    } catch (error) {
      // The registry explains itself in ConfigErrors; anything else is the module failing to import.
      if (error instanceof ConfigError) for (const problem of error.problems) problems.add(['plugins', i], problem.message);
      else problems.add(['plugins', i], `cannot load plugin module "${specifier}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Resolves the stage's plugin and validates its `with:` block (defaults are filled in place); true when valid. */
function checkStage(
  path: YamlPath,
  stage: unknown,
  kind: PluginKind,
  available: readonly Plugin[],
  problems: ProblemList,
  validate: (schema: JsonSchema, data: unknown, base: YamlPath) => SchemaProblem[],
): boolean {
  if (!isRecord(stage) || typeof stage.use !== 'string') return false; // already reported by the top-level schema
  const plugin = available.find((candidate) => candidate.name === stage.use && candidate.kind === kind);
  if (!plugin) {
    problems.add([...path, 'use'], unknownPluginMessage(stage.use, kind, available));
    return false;
  }
  const config = stage.with ?? {};
  let schemaProblems: SchemaProblem[];
  try {
    schemaProblems = validate(plugin.schema, config, [...path, 'with']);
  } catch (error) {
    problems.add([...path, 'use'], `plugin "${plugin.name}" has an invalid config schema: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
  problems.addSchemaProblems(schemaProblems);
  (stage as unknown as StageConfig).with = config as StageConfig['with'];
  if (schemaProblems.length > 0) return false;
  const pluginProblems = plugin.validate?.(config as never) ?? [];
  for (const problem of pluginProblems) problems.add([...path, 'with', ...problem.path], problem.message);
  return pluginProblems.length === 0;
}

/**
 * Validates `data`; where a value typed by interpolation (`${PORT}` → 5432) fails because the schema
 * wants a string, puts the original text back into `root` and validates again.
 */
function validateKeepingStrings(schema: JsonSchema, data: unknown, base: YamlPath, root: { [key: string]: unknown }, typed: readonly TypedValue[]): SchemaProblem[] {
  const found = validateAgainstSchema(schema, data, base);
  let restored = 0;
  for (const problem of found) {
    const original = problem.expectedTypes?.includes('string') ? typed.find((t) => formatYamlPath(t.path) === formatYamlPath(problem.path)) : undefined;
    if (original && setAtPath(root, original.path, original.text)) restored += 1;
  }
  return restored > 0 ? validateAgainstSchema(schema, data, base) : found;
}

function setAtPath(root: unknown, path: YamlPath, value: unknown): boolean {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as { [key: string]: unknown })[String(segment)];
  }
  if (typeof node !== 'object' || node === null) return false;
  (node as { [key: string]: unknown })[String(path[path.length - 1])] = value;
  return true;
}

function unknownPluginMessage(name: string, kind: PluginKind, available: readonly Plugin[]): string {
  const sameKind = available.filter((plugin) => plugin.kind === kind).map((plugin) => plugin.name);
  const otherKinds = available.filter((plugin) => plugin.name === name).map((plugin) => plugin.kind);
  if (otherKinds.length > 0) return `plugin "${name}" is a ${otherKinds.join(' and ')}, not a ${kind}${listNames(kind, sameKind)}`;
  const hint = didYouMean(name, sameKind);
  return `unknown ${kind} plugin "${name}"${hint || listNames(kind, sameKind)}`;
}

function listNames(kind: PluginKind, names: string[]): string {
  return names.length > 0 ? `; ${kind} plugins: ${names.join(', ')}` : `; no ${kind} plugins are registered`;
}

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems and gives each its file:line:col. */
class ProblemList {
  overrides: readonly SetOverride[] = [];
  private readonly problems: ConfigProblem[] = [];
  /** Paths whose value could not be interpolated: schema complaints about them would only repeat that. */
  private readonly unresolved: string[] = [];

  constructor(
    private readonly file: string,
    private readonly locator: YamlLocator,
  ) {}

  get count(): number {
    return this.problems.length;
  }

  add(path: YamlPath, message: string, atKey = false): void {
    this.problems.push(this.locate(path, message, atKey));
  }

  /** `message` located at `path` (or attributed to the `--set` that set it). */
  locate(path: YamlPath, message: string, atKey = false): ConfigProblem {
    const override = this.overrides.find((o) => startsWith(path, o.path));
    if (override) return { file: this.file, path: formatYamlPath(path), message: `${message} (set by --set ${formatYamlPath(override.path)})` };
    const position = path.length === 0 ? {} : atKey ? this.locator.locateKey(path) : this.locator.locate(path);
    return { file: this.file, ...position, path: formatYamlPath(path), message };
  }

  /** A problem from interpolation: later schema problems at the same path are dropped. */
  addUnchecked(path: YamlPath, message: string): void {
    this.unresolved.push(formatYamlPath(path));
    this.add(path, message);
  }

  /** True when `path`'s value could not be interpolated (its problem says so already). */
  isUnresolved(path: YamlPath): boolean {
    return this.unresolved.includes(formatYamlPath(path));
  }

  addUnlocated(message: string): void {
    this.problems.push({ file: this.file, path: '', message });
  }

  addSchemaProblems(problems: readonly SchemaProblem[]): void {
    for (const problem of problems) {
      if (this.unresolved.includes(formatYamlPath(problem.path))) continue;
      this.add(problem.path, problem.message, problem.atKey);
    }
  }

  /** One error with every problem, in file order (unlocated ones last). */
  toError(): ConfigError {
    const order = (p: ConfigProblem) => (p.line === undefined ? Number.MAX_SAFE_INTEGER : p.line * 10_000 + (p.col ?? 0));
    return new ConfigError([...this.problems].sort((a, b) => order(a) - order(b)));
  }
}

