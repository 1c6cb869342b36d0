// The zitadel-file sink's body writer (body-writer.ts) in a worker thread of its own, run by the
// engine's WorkerChannel host.
//
// Plain JavaScript, so the same file runs from `src` (unit tests) and `dist`; the writer itself is
// loaded from this package's build (its `./body-writer` export), so tests need a build.

import { openBodyWriter } from '@idflow/plugin-zitadel/body-writer';

/** Opens the writer with the sink's options; answers its operations. */
export function open(options) {
  return openBodyWriter(options);
}
