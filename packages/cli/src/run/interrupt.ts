// Ctrl-C / SIGTERM during a run: the first stops reading and lets the runner drain, checkpoint and
// report; a second one exits at once (the checkpoint on disk stays valid, only in-flight work is lost).
import { ExitCode } from '@idflow/engine';
import type { Logger } from 'pino';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Aborts `controller` on the first signal; returns the function that removes the handlers. */
export function abortOnInterrupt(controller: AbortController, logger: Logger): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      logger.warn(`${signal} again: exiting now without draining`);
      process.exit(ExitCode.interrupted);
    }
    logger.warn(`${signal}: stopping — draining in-flight records and saving the checkpoint (press Ctrl-C again to exit at once)`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
