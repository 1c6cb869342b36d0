// `idflow run <pipeline>`: load and validate the pipeline, run it with progress, print the summary.
// Whatever the input says (reasons, snippets, file names) is escaped before it reaches the terminal.
import { dirname, join, resolve } from 'node:path';
import { ExitCode, formatProblem, IdflowError, type LoadedPipeline, loadPipeline, type Origin, type RunReport, reportPathOf, runPipeline } from '@idflow/engine';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';
import { createLogger, type LogFormat, LogOutput } from '../logger.js';
import { abortOnInterrupt } from '../run/interrupt.js';
import { createProgressBar, createProgressLog, noProgress, type ProgressDisplay } from '../run/progress-display.js';
import { resumeCommand } from '../run/resume-command.js';
import { formatDiffSummary } from '../run/diff-summary.js';
import { formatRunSummary } from '../run/run-summary.js';
import { escapeForTerminal } from '../run/terminal-text.js';

export interface RunArgs {
  pipeline: string;
  'dry-run': boolean;
  fresh: boolean;
  set: string[];
  'log-format': LogFormat;
  quiet: boolean;
  debug: boolean;
}

/** Warnings logged one by one before the rest are only counted (a million-user run may have thousands). */
const WARNINGS_SHOWN = Number(process.env.IDFLOW_WARNINGS_SHOWN) || 20;

/** How often progress is logged when stderr is not a terminal (overridable for slow CI logs). */
const PROGRESS_LOG_INTERVAL_MS = Number(process.env.IDFLOW_PROGRESS_INTERVAL_MS) || 5000;

const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <pipeline>',
  describe: 'Run a pipeline (resumes from its checkpoint after an interruption)',
  builder: (yargs: Argv) =>
    yargs
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline YAML file' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Read, transform and validate everything; write nothing to the target (the report is still written)' })
      .option('fresh', { type: 'boolean', default: false, describe: 'Ignore an existing checkpoint and start over' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [], describe: 'Override a pipeline key: path=value (repeatable), e.g. --set sink.with.path=out.ndjson' })
      .option('log-format', { choices: ['json', 'pretty'] as const, default: 'pretty' as const, describe: 'Log format on stderr' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress, no summary: warnings and errors only' }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    await runFromCommandLine(args);
  },
};
export default runCommand;

/** What `idflow diff` adds to a run: where the per-user changes go (default: beside the report). */
export interface DiffMode {
  out?: string;
}

/** `idflow run` (and, with `diff`, `idflow diff`): load, run with progress, print the summary, fail with the run's exit code. */
export async function runFromCommandLine(args: RunArgs, diff?: DiffMode): Promise<void> {
  const registry = createBuiltinRegistry();
  const pipeline = await loadPipeline(args.pipeline, { set: args.set, env: process.env, registry });
  const diffPath = diff ? resolve(diff.out ?? join(dirname(reportPathOf(pipeline.config, pipeline.baseDir)), 'diff.ndjson')) : undefined;
  const logOutput = new LogOutput();
  const logger = createLogger({ format: args['log-format'], debug: args.debug, quiet: args.quiet, output: logOutput });
  const controller = new AbortController();
  const removeInterruptHandlers = abortOnInterrupt(controller, logger);
  const progress = createDisplay(args, logOutput, logger);
  const warnings = createWarningLog(logger, WARNINGS_SHOWN);
  for (const warning of pipeline.warnings ?? []) logger.warn({}, `warning: ${escapeForTerminal(formatProblem(warning))}`);
  if (diffPath && (pipeline.config.sink.with as { onExisting?: string } | undefined)?.onExisting !== 'update') {
    logger.warn({}, 'note: sink.with.onExisting is not "update": `idflow run` would leave existing users as they are; this diff shows what a sync would change');
  }
  try {
    const handle = runPipeline(pipeline, registry, { dryRun: args['dry-run'], fresh: args.fresh, signal: controller.signal, ...(diffPath ? { diffPath } : {}) });
    let resumedFrom: Origin | undefined;
    const subscription = handle.events.subscribe((event) => {
      switch (event.type) {
        case 'start':
          resumedFrom = event.resumedFrom;
          logger.info(
            { pipeline: event.pipeline, resumedFrom: event.resumedFrom, totalBytes: event.totalBytes },
            event.resumedFrom ? `${event.pipeline}: resuming after ${event.resumedFrom.file}:${event.resumedFrom.line}` : `${event.pipeline}: starting`,
          );
          break;
        case 'progress':
          progress.update(event);
          break;
        case 'warning':
          warnings.show(event.plugin, event.message, event.origin);
          break;
        case 'log':
          logger[event.level]({ plugin: event.plugin, ...event.fields }, escapeForTerminal(`${event.plugin}: ${event.message}`));
          break;
        case 'reject':
          logger.debug({ stage: event.stage, origin: event.origin }, escapeForTerminal(`rejected at ${event.stage}: ${event.reason}`));
          break;
        case 'undeliverable':
          logger.debug({ origin: event.origin }, escapeForTerminal(`not delivered (the next run sends it again): ${event.reason}`));
          break;
        case 'checkpoint':
          logger.debug({ origin: event.origin, seq: event.seq }, 'checkpoint saved');
          break;
        case 'end':
          break;
      }
    });
    let report: RunReport;
    try {
      report = await handle.result;
    } finally {
      subscription.unsubscribe();
      progress.stop();
    }
    if (!args.quiet) process.stdout.write(`${diffPath ? formatDiffSummary(report) : formatRunSummary(report, resumedFrom)}\n`);
    throwUnlessSucceeded(report, pipeline);
  } finally {
    progress.stop();
    removeInterruptHandlers();
  }
}

/** Logs the first `limit` warnings, then says once that the rest are counted in the report. */
function createWarningLog(logger: ReturnType<typeof createLogger>, limit: number) {
  let seen = 0;
  return {
    show(plugin: string, message: string, origin: unknown): void {
      seen += 1;
      const text = escapeForTerminal(`${plugin}: ${message}`);
      if (seen <= limit) logger.warn({ plugin, origin }, text);
      else if (seen === limit + 1) logger.warn({}, `more warnings follow; they are counted in the report (showing the first ${limit}; --debug shows all)`);
      else logger.debug({ plugin, origin }, text);
    },
  };
}

function createDisplay(args: RunArgs, logOutput: LogOutput, logger: ReturnType<typeof createLogger>): ProgressDisplay {
  if (args.quiet) return noProgress;
  if (process.stderr.isTTY && args['log-format'] === 'pretty') return createProgressBar(logOutput);
  return createProgressLog(logger, PROGRESS_LOG_INTERVAL_MS);
}

/** A run that did not fully succeed ends the command with its exit code, one clear message, and what to run next. */
function throwUnlessSucceeded(report: RunReport, pipeline: LoadedPipeline): void {
  if (report.exitCode === ExitCode.ok) return;
  const code = report.error?.code ?? report.status.toUpperCase();
  const again = resumeCommand(pipeline);
  let message: string;
  if (report.status === 'interrupted') {
    message = `interrupted: checkpoint saved${report.checkpointPath ? ` to ${report.checkpointPath}` : ''}; run "${again}" again to resume`;
  } else if (report.error) {
    message = report.error.message;
    // Users the target never took are sent by the next run: say which command that is.
    if (report.counts.undeliverable > 0 && report.checkpointPath) message += `\nTo deliver them: ${again}`;
  } else {
    message = `run ended with status ${report.status}`;
  }
  if (report.reportError) message += `\n${report.reportError}`;
  throw new IdflowError(message, code, report.exitCode);
}