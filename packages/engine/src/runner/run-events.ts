// The run's event stream (rxjs). Only rare events are emitted per record (rejects, warnings);
// progress is a periodic summary, so a million-record run emits a few thousand events, not millions.

import type { Observable } from 'rxjs';
// The one class used, from its own module: the `rxjs` entry loads the whole library (~100 ms at startup).
import { Subject } from 'rxjs/internal/Subject';
import type { RunEvent } from '../pipeline.js';

export class RunEvents {
  private readonly subject = new Subject<RunEvent>();
  readonly observable: Observable<RunEvent> = this.subject.asObservable();

  emit(event: RunEvent): void {
    this.subject.next(event);
  }

  complete(): void {
    this.subject.complete();
  }

  /** Emits `progress()` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, progress: () => RunEvent): () => void {
    const timer = setInterval(() => this.emit(progress()), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
