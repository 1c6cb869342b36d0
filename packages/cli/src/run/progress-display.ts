// Shows a running pipeline's progress in users: done (written, already present or refused) out of
// the estimated total, the rate, and a real ETA (the engine's progress-estimate.ts) — a cli-progress
// bar on a terminal, or a plain log line every few seconds when output is piped.
import type { RunCounts, RunEvent } from '@idflow/engine';
import { createRequire } from 'node:module';
import type { MultiBar as MultiBarType, SingleBar } from 'cli-progress';
import type { Logger } from 'pino';
import type { LogOutput } from '../logger.js';
import { formatCount } from './format-count.js';

type ProgressEvent = Extract<RunEvent, { type: 'progress' }>;

export interface ProgressDisplay {
  update(event: ProgressEvent): void;
  /** Removes the bar / stops the timer; safe to call twice. */
  stop(): void;
}

/** Records per second over the whole run so far. */
export function recordsPerSecond(counts: RunCounts, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((counts.read * 1000) / elapsedMs) : 0;
}

/** Share of users done, 0–1, or undefined while the total is unknown. */
export function doneShare(event: ProgressEvent): number | undefined {
  const { done, total } = event.users;
  if (total === undefined) return undefined;
  return total === 0 ? 1 : Math.min(1, done / total);
}

/**
 * `126,000 of ~300,000 users done (42%): 125,900 written, 0 already present, 100 rejected;
 * 12,000 users/s, ETA 15s` — `~` while the total is an estimate.
 */
export function describeProgress(event: ProgressEvent): string {
  const { counts, users } = event;
  if (counts.read === 0 && users.done === 0 && counts.auxiliaryRejected === 0) {
    return `waiting for the first user (the source is preparing, e.g. indexing the password export; ${formatSeconds(event.elapsedMs / 1000)} so far)`;
  }
  const share = doneShare(event);
  const head =
    users.total === undefined
      ? `${formatCount(users.done)} users done (total not known yet)`
      : `${formatCount(users.done)} of ${users.totalExact ? '' : '~'}${formatCount(users.total)} users done (${Math.floor((share ?? 0) * 100)}%)`;
  const fates = [
    `${formatCount(counts.written)} written`,
    `${formatCount(counts.present)} already present`,
    // A sync's counts, once it has any (a plain migration's line stays as it was).
    ...(counts.updated + counts.unchanged > 0 ? [`${formatCount(counts.updated)} updated`, `${formatCount(counts.unchanged)} unchanged`] : []),
    ...(counts.skipped > 0 ? [`${formatCount(counts.skipped)} skipped`] : []),
    `${formatCount(counts.rejected)} rejected`,
    ...(counts.undeliverable > 0 ? [`${formatCount(counts.undeliverable)} undeliverable`] : []),
  ];
  const eta = users.etaMs === undefined ? (users.total === undefined ? '' : ', ETA: measuring') : `, ETA ${formatSeconds(users.etaMs / 1000)}`;
  return `${head}: ${fates.join(', ')}; ${formatCount(users.perSecond)} users/s${eta}`;
}

/**
 * One frame of the terminal bar, short enough for one line:
 * `[####------] 42% 126,000 of ~300,000 users | 100 rejected | 12,000 users/s | ETA 15s`;
 * the text alone while the total is unknown.
 */
export function formatBarLine(event: ProgressEvent, width = 30): string {
  const share = doneShare(event);
  if (share === undefined) return describeProgress(event);
  const { counts, users } = event;
  const filled = Math.round(share * width);
  const parts = [
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${formatCount(users.done)} of ${users.totalExact ? '' : '~'}${formatCount(users.total ?? 0)} users`,
    ...(counts.rejected > 0 ? [`${formatCount(counts.rejected)} rejected`] : []),
    ...(counts.undeliverable > 0 ? [`${formatCount(counts.undeliverable)} undeliverable`] : []),
    `${formatCount(users.perSecond)} users/s`,
    users.etaMs === undefined ? 'ETA: measuring' : `ETA ${formatSeconds(users.etaMs / 1000)}`,
  ];
  return parts.join(' | ');
}

/** A progress bar drawn on stderr; log lines are printed above it while it is shown. */
export function createProgressBar(logOutput: LogOutput): ProgressDisplay {
  // cli-progress loads only when a bar is drawn (a terminal), not for piped or JSON output.
  const { MultiBar } = createRequire(import.meta.url)('cli-progress') as { MultiBar: typeof MultiBarType };
  const bars = new MultiBar({
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    // The frame is drawn from the run's own estimate (users done of the estimated total, ETA from
    // the recent rate), not from cli-progress's value/total, which is fixed when the bar is made.
    format: (options, _params, payload: { event?: ProgressEvent }) => (payload.event ? formatBarLine(payload.event, options.barsize ?? 30) : ''),
  });
  let bar: SingleBar | undefined;
  logOutput.attach((text) => bars.log(text.endsWith('\n') ? text : `${text}\n`));
  return {
    update(event) {
      if (!bar) bar = bars.create(1, 0, { event });
      else bar.update(0, { event });
    },
    stop() {
      logOutput.detach();
      bars.stop();
    },
  };
}

/** Logs the latest progress every `intervalMs` (for pipes and CI logs, where a bar would be noise). */
export function createProgressLog(logger: Logger, intervalMs: number): ProgressDisplay {
  let latest: ProgressEvent | undefined;
  let logged: ProgressEvent | undefined;
  const timer = setInterval(() => {
    if (latest && latest !== logged) {
      logged = latest;
      logger.info({ counts: latest.counts, users: latest.users, bytesDone: latest.bytesDone, bytesTotal: latest.bytesTotal }, `progress: ${describeProgress(latest)}`);
    }
  }, intervalMs);
  timer.unref();
  return {
    update(event) {
      latest = event;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** A display that shows nothing (`--quiet`). */
export const noProgress: ProgressDisplay = { update() {}, stop() {} };

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
