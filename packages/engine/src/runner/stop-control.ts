// Why and how a run stops early. The first reason wins, except that a fatal error overrides a
// gentler one (its message is what the user must see).

import type { IdflowError } from '../errors.js';

export type StopReason = 'interrupted' | 'max-rejects' | 'failed';

export class StopControl {
  private readonly controller = new AbortController();
  private why: StopReason | undefined;
  private error: IdflowError | undefined;
  private message: string | undefined;
  private readonly listeners: Array<() => void> = [];

  /** Aborted as soon as a stop is requested: the source stops being read, retries are abandoned. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.why;
  }

  get requested(): boolean {
    return this.why !== undefined;
  }

  get failure(): IdflowError | undefined {
    return this.error;
  }

  get stopMessage(): string | undefined {
    return this.message;
  }

  request(reason: 'interrupted' | 'max-rejects', message: string): void;
  request(reason: 'failed', error: IdflowError): void;
  request(reason: StopReason, cause: string | IdflowError): void {
    if (this.why && !(reason === 'failed' && this.why !== 'failed')) return;
    this.why = reason;
    if (typeof cause === 'string') this.message = cause;
    else {
      this.error = cause;
      this.message = cause.message;
    }
    if (!this.controller.signal.aborted) this.controller.abort();
    for (const listener of this.listeners) listener();
  }

  /** Called on every stop request (e.g. to wake a loop waiting for room). */
  onStop(listener: () => void): void {
    this.listeners.push(listener);
  }
}
