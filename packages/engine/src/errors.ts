// Typed errors with a stable code and the process exit code the CLI maps them to (in one place).

/** Where an error keeps the brands of its classes (a registry symbol: the same in every copy of this module). */
const lineage = Symbol.for('idflow.error.lineage');

/** `value instanceof type`, by prototype or, across copies of this module, by brand. */
function isInstance(type: typeof IdflowError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(type, value)) return true;
  // A class without a brand of its own (a subclass outside this module) matches only by prototype.
  if (!Object.hasOwn(type, 'brand') || typeof value !== 'object' || value === null) return false;
  const brands = (value as { [lineage]?: unknown })[lineage];
  return Array.isArray(brands) && brands.includes(type.brand);
}

/** Documented exit codes of the `idflow` command. */
export const ExitCode = {
  ok: 0,
  /**
   * Not everything succeeded: a fatal error (the target refused the credentials, stayed away past
   * `timeouts.targetUnavailable`…), rejects past `maxRejects`, undeliverable records (run again), or
   * nothing delivered at all from a non-empty input.
   */
  incomplete: 1,
  /** Invalid configuration or usage, a checkpoint of another run, an output folder in use. */
  config: 2,
  /** Interrupted by SIGINT/SIGTERM after draining and saving the checkpoint. */
  interrupted: 130,
} as const;

/**
 * The base of idflow's typed errors. `instanceof` also holds for an error built by another copy
 * of this module: the `idflow` command runs bundled, while a custom plugin imports its own
 * `@idflow/engine`, and a FatalError it throws must stop the run all the same. So each class
 * names itself with a `brand`, each error carries the brands of its classes, and `instanceof`
 * compares those when the prototype chain does not match.
 */
export class IdflowError extends Error {
  static readonly brand: string = 'IdflowError';
  declare readonly [lineage]: readonly string[];

  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number = ExitCode.incomplete,
  ) {
    super(message);
    this.name = new.target.name;
    const brands: string[] = [];
    for (let type: object = new.target; type !== Error && type !== null; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'brand')) brands.push((type as typeof IdflowError).brand);
    }
    Object.defineProperty(this, lineage, { value: brands });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about, a subclass included.
    return isInstance(this, value);
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
  static override readonly brand: string = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'), 'CONFIG_INVALID', ExitCode.config);
  }
}

/** The run cannot go on (auth refused, target unreachable after retries, input unreadable). */
export class FatalError extends IdflowError {
  static override readonly brand: string = 'FatalError';
  constructor(message: string, code = 'FATAL') {
    super(message, code, ExitCode.incomplete);
  }
}

/** The checkpoint does not match the inputs; `--fresh` starts over. */
export class CheckpointMismatchError extends IdflowError {
  static override readonly brand: string = 'CheckpointMismatchError';
  constructor(message: string) {
    super(message, 'CHECKPOINT_MISMATCH', ExitCode.config);
  }
}

/** Another run holds the output folder's lock: this one must not write there. */
export class OutputLockedError extends IdflowError {
  static override readonly brand: string = 'OutputLockedError';
  constructor(message: string) {
    super(message, 'OUTPUT_LOCKED', ExitCode.config);
  }
}
