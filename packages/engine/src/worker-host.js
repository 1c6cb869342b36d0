// The one worker thread of a process that hosts every WorkerChannel's store (worker-channel.ts):
// each channel sends the URL of a module exporting `open(data)`, which answers its handlers, and
// a port of its own. One thread for all, because each thread has a V8 heap of its own (~35 MB).
//
// Plain JavaScript, so the same file runs from `src` (unit tests) and `dist`.

import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ signal: Int32Array }} */
const { signal } = workerData;
/** @type {Set<import('node:worker_threads').MessagePort>} */
const ports = new Set();

/** Wakes a main thread blocked waiting for a reply (signal[0] is bumped after every reply). */
function wake() {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// Anything that would end this thread without replies marks it dead, so callers stop waiting.
process.on('uncaughtException', (error) => {
  const message = `worker thread failed: ${error instanceof Error ? error.message : String(error)}`;
  for (const port of ports) port.postMessage({ id: -1, error: message });
  Atomics.store(signal, 1, 1);
  wake();
});

parentPort.on('message', async ({ url, data, port }) => {
  ports.add(port);
  let handlers;
  let startupError;
  try {
    const module = await import(url);
    handlers = await module.open(data);
  } catch (error) {
    startupError = `could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
  // Requests sent meanwhile wait in the port until this listener starts it.
  port.on('message', ({ id, op, args }) => {
    let reply;
    try {
      if (startupError) throw new Error(startupError);
      const handler = handlers[op];
      if (!handler) throw new Error(`unknown operation ${op}`);
      reply = { id, result: handler(args) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    wake();
  });
});
