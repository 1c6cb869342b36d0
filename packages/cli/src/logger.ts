// Structured logging (pino) to stderr: JSON lines for machines, or pino-pretty for people.
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';

/** pino-pretty, loaded only for pretty logs (JSON logs, the default for machines, do without it). */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

export type LogFormat = 'json' | 'pretty';

/** Where log lines go: stderr, or above the progress bar while one is drawn. */
export class LogOutput extends Writable {
  private above?: (text: string) => void;

  /** Routes lines through `print` (e.g. cli-progress' `log`) until `detach`. */
  attach(print: (text: string) => void): void {
    this.above = print;
  }

  detach(): void {
    this.above = undefined;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = chunk.toString();
    if (this.above) this.above(text);
    else process.stderr.write(text);
    done();
  }
}

// Keys that may carry credentials if a plugin logs its options: never written out.
const REDACT = ['password', 'secret', 'clientSecret', 'token', 'accessToken', 'authorization', 'apiKey'].flatMap((key) => [key, `*.${key}`]);

/** A logger writing to `output` in the chosen format; `debug` lowers the level, `quiet` raises it to warnings. */
export function createLogger(options: { format: LogFormat; debug?: boolean; quiet?: boolean; output: LogOutput }): Logger {
  const level = options.debug ? 'debug' : options.quiet ? 'warn' : 'info';
  const stream =
    options.format === 'json'
      ? options.output
      : // Pretty lines carry their facts in the message; the fields stay in JSON logs (and show with --debug).
        loadPretty()({ destination: options.output, sync: true, colorize: process.stderr.isTTY === true, ignore: 'pid,hostname', hideObject: !options.debug, translateTime: 'SYS:HH:MM:ss' });
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, stream);
}
