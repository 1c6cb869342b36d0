// The files a pipeline reads and writes, from the `x-idflow` roles of its plugins' schemas plus the
// engine's own outputs (dead-letter file, report, checkpoint), and the checks made on them before
// anything runs: no output is an input or another output (compared by real path, symlinks
// followed), none lands on `/` or right under it (an empty `${OUT_DIR}`), every input exists, every
// key file is readable — and only its owner should be able to read it.
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { PipelineConfig } from '../pipeline.js';
import type { Plugin, PluginKind } from '../plugin.js';
import { valuesWithRoles } from './with-key-roles.js';
import type { YamlPath } from './yaml-locator.js';

/** One file or folder of a pipeline, with the YAML path it comes from. */
export interface PipelinePath {
  yamlPath: YamlPath;
  /** Absolute, resolved against the pipeline's folder (not yet through symlinks). */
  absolute: string;
  kind: 'input' | 'output-file' | 'output-dir' | 'key-file';
  /** What it is, for messages: `the dead-letter file`, `sink.with.path`. */
  label: string;
  /** Not written in the pipeline but derived from another path (the report, from `dlq.path`). */
  derived?: boolean;
}

export interface PathProblem {
  path: YamlPath;
  message: string;
  /** A warning only: `validate` and `run` print it and go on. */
  warning?: boolean;
}

type FindPlugin = (name: string, kind: PluginKind) => Plugin | undefined;

/** Where the report goes: next to the dead-letter file, else next to the pipeline file. */
export function reportPathOf(config: Pick<PipelineConfig, 'dlq'>, baseDir: string): string {
  return join(config.dlq?.path ? dirname(resolve(baseDir, config.dlq.path)) : resolve(baseDir), 'report.json');
}

/** report.html, beside report.json. */
export function htmlReportPathOf(reportPath: string): string {
  return join(dirname(reportPath), 'report.html');
}

/** failures.csv and warnings.csv beside the dead-letter file (a dry run's with `.dry-run`, as its dead-letter file). */
export function listPathsOf(dlqPath: string, dryRun: boolean): { failuresPath: string; warningsPath: string } {
  const dir = dirname(dlqPath);
  const suffix = dryRun ? '.dry-run' : '';
  return { failuresPath: join(dir, `failures${suffix}.csv`), warningsPath: join(dir, `warnings${suffix}.csv`) };
}

/** Every path of the pipeline: stages' role-annotated keys, then dead-letter file (and its lists), reports and checkpoint. */
export function pipelinePaths(config: PipelineConfig, baseDir: string, findPlugin: FindPlugin): PipelinePath[] {
  const paths: PipelinePath[] = [];
  const stages: [YamlPath, PipelineConfig['source'], PluginKind][] = [
    [['source'], config.source, 'source'],
    ...(config.transforms ?? []).map((stage, i): [YamlPath, PipelineConfig['source'], PluginKind] => [['transforms', i], stage, 'transform']),
    [['sink'], config.sink, 'sink'],
  ];
  for (const [stagePath, stage, kind] of stages) {
    const plugin = stage && findPlugin(stage.use, kind);
    if (!plugin) continue;
    for (const { path, role, value } of valuesWithRoles(plugin.schema, stage.with ?? {})) {
      // An empty path means "none" (`${AUTH0_PASSWORDS:-}` left unset).
      if (typeof value !== 'string' || value === '') continue;
      const kindOf = { 'input-path': 'input', 'output-path': 'output-file', 'output-dir': 'output-dir', 'secret-file': 'key-file' } as const;
      const pathKind = kindOf[role as keyof typeof kindOf];
      if (!pathKind) continue;
      const yamlPath = [...stagePath, 'with', ...path];
      paths.push({ yamlPath, absolute: resolve(baseDir, value), kind: pathKind, label: yamlPath.join('.') });
    }
  }
  const beside = config.dlq?.path ? 'the dead-letter file' : 'the pipeline file';
  const besideDlq: YamlPath = config.dlq?.path ? ['dlq', 'path'] : [];
  if (config.dlq?.path) {
    const dlqPath = resolve(baseDir, config.dlq.path);
    paths.push({ yamlPath: ['dlq', 'path'], absolute: dlqPath, kind: 'output-file', label: 'the dead-letter file (dlq.path)' });
    for (const list of Object.values(listPathsOf(dlqPath, false))) {
      paths.push({ yamlPath: besideDlq, absolute: list, kind: 'output-file', derived: true, label: `${basename(list)} (next to the dead-letter file)` });
    }
  }
  const reportPath = reportPathOf(config, baseDir);
  for (const report of [reportPath, htmlReportPathOf(reportPath)]) {
    paths.push({ yamlPath: besideDlq, absolute: report, kind: 'output-file', derived: true, label: `the report (${basename(report)}, next to ${beside})` });
  }
  if (config.checkpoint?.path) {
    paths.push({ yamlPath: ['checkpoint', 'path'], absolute: resolve(baseDir, config.checkpoint.path), kind: 'output-file', label: 'the checkpoint (checkpoint.path)' });
  }
  return paths;
}

/** The folders a run writes into: the lock goes there (an output folder itself, else a file's folder). */
export function outputFolders(paths: readonly PipelinePath[]): string[] {
  const folders = paths.filter((p) => p.kind === 'output-file' || p.kind === 'output-dir').map((p) => (p.kind === 'output-dir' ? p.absolute : dirname(p.absolute)));
  return [...new Set(folders.map(realPathOf))].sort();
}

/**
 * Problems with the pipeline's files. `pipelineFile` counts as an input; `emptyVariables` maps a
 * YAML path to the `${VAR}`s that were set but empty in its value.
 */
export function checkPipelinePaths(paths: readonly PipelinePath[], pipelineFile: string, emptyVariables: ReadonlyMap<string, readonly string[]>): PathProblem[] {
  const problems: PathProblem[] = [];
  const outputs = paths.filter((p) => p.kind === 'output-file' || p.kind === 'output-dir');
  const badOutputs = new Set<PipelinePath>();
  for (const output of outputs) {
    // A derived path shares the problems of the one it comes from: said once, there.
    if (output.derived && badOutputs.size > 0 && [...badOutputs].some((bad) => bad.yamlPath.join('.') === output.yamlPath.join('.'))) {
      badOutputs.add(output);
      continue;
    }
    const empty = emptyVariables.get(output.yamlPath.join('.'));
    if (empty && empty.length > 0 && output.yamlPath.length > 0) {
      const names = empty.map((name) => `\${${name}}`).join(', ');
      problems.push({ path: output.yamlPath, message: `${names} is set but empty, so ${output.label} would be ${output.absolute}; set it to a folder` });
      badOutputs.add(output);
    } else if (output.absolute === sep || dirname(output.absolute) === sep) {
      problems.push({ path: output.yamlPath, message: `${output.label} would be ${output.absolute}, ${output.absolute === sep ? 'the root of the file system' : 'right under the root of the file system'}; write into a folder of its own` });
      badOutputs.add(output);
    }
  }

  const inputs = [...paths.filter((p) => p.kind === 'input'), { yamlPath: [], absolute: resolve(pipelineFile), kind: 'input' as const, label: 'the pipeline file' }];
  const realInputs = new Map<PipelinePath, string>();
  for (const input of inputs) {
    const problem = unreadable(input.absolute);
    if (problem) problems.push({ path: input.yamlPath, message: `cannot read ${input.absolute}: ${problem}` });
    else realInputs.set(input, realPathOf(input.absolute));
  }
  for (const key of paths.filter((p) => p.kind === 'key-file')) problems.push(...checkKeyFile(key));

  const seenOutputs = new Map<string, PipelinePath>();
  for (const output of outputs) {
    if (badOutputs.has(output)) continue;
    const real = realPathOf(output.absolute);
    for (const [input, realInput] of realInputs) {
      const clash = output.kind === 'output-dir' ? realInput === real || realInput.startsWith(`${real}${sep}`) : realInput === real;
      if (!clash) continue;
      const what = output.kind === 'output-dir' ? `writes into ${real}, which holds` : 'is the same file as';
      problems.push({ path: output.yamlPath, message: `${output.label} ${what} ${input.label} (${realInput}); it would be overwritten: choose another output path` });
    }
    const earlier = seenOutputs.get(real);
    if (earlier && output.kind === 'output-file') {
      problems.push({ path: output.yamlPath, message: `${output.label} is the same file as ${earlier.label} (${real}); give each output a path of its own` });
    }
    seenOutputs.set(real, output);
  }
  return problems;
}

/** Why `path` cannot be read as a file, or undefined when it can. */
function unreadable(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'it is a folder, not a file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(error));
  }
}

function checkKeyFile(key: PipelinePath): PathProblem[] {
  const problem = unreadable(key.absolute);
  if (problem) return [{ path: key.yamlPath, message: `cannot read key file ${key.absolute}: ${problem}` }];
  const mode = statSync(key.absolute).mode & 0o777;
  if ((mode & 0o044) === 0) return [];
  return [
    {
      path: key.yamlPath,
      warning: true,
      message: `key file ${key.absolute} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); make it private: chmod 600 ${key.absolute}`,
    },
  ];
}

/** The real path of `path` (symlinks followed); for a path that does not exist yet, of its nearest existing folder. */
export function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return resolve(path);
  }
}
