// Every request and backoff wait listens to the run's abort signal; a sink with hundreds of calls
// in flight would trip Node's max-listeners warning on the runner's signal. Each sink listens
// through its own child signal instead, which allows any number of listeners.
import { setMaxListeners } from 'node:events';

/** A signal that aborts with `parent` and accepts unlimited listeners. */
export function sinkSignal(parent: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  return controller.signal;
}
