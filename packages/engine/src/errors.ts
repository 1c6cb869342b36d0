// Typed errors with a stable code and the process exit code the CLI maps them to (in one place).

/** Documented exit codes of the `idflow` command. */
export const ExitCode = {
  ok: 0,
  /** Finished, but rejects passed `maxRejects` or the sink could not deliver some records. */
  incomplete: 1,
  /** Invalid configuration or usage. */
  config: 2,
  /** Interrupted by SIGINT/SIGTERM after draining and saving the checkpoint. */
  interrupted: 130,
} as const;

export class IdflowError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number = ExitCode.incomplete,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One located configuration problem, e.g. `pipelines/x.yaml:14:5 sink.with.batchSize: must be <= 20000`. */
export interface ConfigProblem {
  file?: string;
  line?: number;
  col?: number;
  /** Dotted YAML path, e.g. `sink.with.batchSize`. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.col ?? 1}` : ''} ` : '';
  return `${where}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** Every problem found in a pipeline, reported together. */
export class ConfigError extends IdflowError {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'), 'CONFIG_INVALID', ExitCode.config);
  }
}

/** The run cannot go on (auth refused, target unreachable after retries, input unreadable). */
export class FatalError extends IdflowError {
  constructor(message: string, code = 'FATAL') {
    super(message, code, ExitCode.incomplete);
  }
}

/** The checkpoint does not match the inputs; `--fresh` starts over. */
export class CheckpointMismatchError extends IdflowError {
  constructor(message: string) {
    super(message, 'CHECKPOINT_MISMATCH', ExitCode.config);
  }
}
