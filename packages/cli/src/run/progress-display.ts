// Shows a running pipeline's progress: a cli-progress bar on a terminal (records/s, counts, ETA
// when the input size is known), or a plain log line every few seconds when output is piped.
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

/** `12,000 read, 11,990 written, 0 present, 10 rejected, 2,400 records/s, 40% of input`. */
export function describeProgress(event: ProgressEvent): string {
  const { counts } = event;
  const parts = [
    `${formatCount(counts.read)} read`,
    `${formatCount(counts.written)} written`,
    `${formatCount(counts.present)} already present`,
    // A sync's counts, once it has any (a plain migration's line stays as it was).
    ...(counts.updated + counts.unchanged > 0 ? [`${formatCount(counts.updated)} updated`, `${formatCount(counts.unchanged)} unchanged`] : []),
    `${formatCount(counts.rejected)} rejected`,
    ...(counts.undeliverable > 0 ? [`${formatCount(counts.undeliverable)} undeliverable`] : []),
    `${formatCount(recordsPerSecond(counts, event.elapsedMs))} records/s`,
  ];
  if (event.bytesTotal) parts.push(`${Math.floor((100 * (event.bytesDone ?? 0)) / event.bytesTotal)}% of input`);
  return parts.join(', ');
}


/** A progress bar drawn on stderr; log lines are printed above it while it is shown. */
export function createProgressBar(logOutput: LogOutput): ProgressDisplay {
  // cli-progress loads only when a bar is drawn (a terminal), not for piped or JSON output.
  const { MultiBar } = createRequire(import.meta.url)('cli-progress') as { MultiBar: typeof MultiBarType };
  const bars = new MultiBar({
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    format: (options, params, payload: { line?: string; sized?: boolean }) => {
      if (!payload.sized) return payload.line ?? '';
      const width = options.barsize ?? 30;
      const filled = Math.round(params.progress * width);
      const eta = Number.isFinite(params.eta) && params.eta > 0 ? ` | ETA ${formatSeconds(params.eta)}` : '';
      return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(params.progress * 100)}% | ${payload.line ?? ''}${eta}`;
    },
  });
  let bar: SingleBar | undefined;
  logOutput.attach((text) => bars.log(text.endsWith('\n') ? text : `${text}\n`));
  return {
    update(event) {
      const line = describeProgress(event).replace(/, \d+% of input$/, '');
      const total = event.bytesTotal ?? 1;
      const value = event.bytesTotal ? (event.bytesDone ?? 0) : 0;
      if (!bar) bar = bars.create(total, value, { line, sized: Boolean(event.bytesTotal) });
      else bar.update(value, { line, sized: Boolean(event.bytesTotal) });
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
      logger.info({ counts: latest.counts, bytesDone: latest.bytesDone, bytesTotal: latest.bytesTotal }, `progress: ${describeProgress(latest)}`);
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
