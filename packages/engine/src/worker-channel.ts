// Synchronous calls into a worker thread, for plugins that keep a disk-backed table (SQLite) off
// the main thread, so its writes and lookups overlap the pipeline's work.
//
// The store is a module exporting `open(data)`, which answers its handlers (operation name →
// function of the request's arguments, answering a cloneable value). Every channel of the process
// is served by one shared worker thread (worker-host.js): each thread has a V8 heap of its own.
// `request` posts an operation and returns a ticket at once; `take` blocks (Atomics.wait) until
// the reply is on the channel's port, then takes it with receiveMessageOnPort. Replies come in
// request order, so a `call` sees every operation requested before it. `send` is for writes whose
// answer only matters if they failed: a few stay unanswered while the caller goes on, and the
// next `call` throws the first failure. A store that cannot open, or a thread that dies, makes
// the next `take` throw instead of waiting for ever.

import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Operations a store serves. */
export type WorkerHandlers = Record<string, (args: unknown) => unknown>;

const hostUrl = new URL('./worker-host.js', import.meta.url);

/** A worker thread serving channels: [0] of `signal` is bumped after each reply, [1] is 1 once it died. */
interface HostThread {
  worker: Worker;
  signal: Int32Array;
  channels: number;
}

/** The shared thread while channels use it. */
let host: HostThread | undefined;

function startHostThread(): HostThread {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(hostUrl, { workerData: { signal } });
  // The thread must not keep the process alive on its own (the last close() ends it anyway).
  worker.unref();
  return { worker, signal, channels: 0 };
}

export class WorkerChannel {
  private readonly port: MessagePort;
  private readonly thread: HostThread;
  private readonly signal: Int32Array;
  private readonly replies = new Map<number, Reply>();
  /** `send`s not yet answered, oldest first. */
  private readonly sends: number[] = [];
  private nextId = 1;
  private closed = false;

  /**
   * Opens the store module at `url` with `data` in the shared worker thread, or in a thread of its
   * own when `dedicated` (for work that must not wait behind another store's, or hold it up; a
   * thread costs ~30 MB). At most `maxSendsInFlight` sends wait unanswered (what they carry stays
   * in memory until answered).
   */
  constructor(
    url: URL,
    data: Record<string, unknown> = {},
    private readonly maxSendsInFlight = 4,
    options: { dedicated?: boolean } = {},
  ) {
    if (options.dedicated) this.thread = startHostThread();
    else this.thread = host ??= startHostThread();
    this.thread.channels += 1;
    this.signal = this.thread.signal;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.thread.worker.postMessage({ url: url.href, data, port: port2 }, [port2]);
  }

  /** Posts an operation; its reply is collected by `take`. */
  request(op: string, args?: unknown): number {
    if (this.closed) throw new Error('worker channel is closed');
    const id = this.nextId++;
    this.port.postMessage({ id, op, args });
    return id;
  }

  /** Waits for the reply to `id` (earlier replies are kept for their own `take`); throws the store's error. */
  take<T>(id: number): T {
    let reply = this.replies.get(id);
    while (!reply) {
      const seen = Atomics.load(this.signal, 0);
      const message = receiveMessageOnPort(this.port) as { message: Reply } | undefined;
      if (message) {
        if (message.message.id === -1) throw new Error(message.message.error);
        this.replies.set(message.message.id, message.message);
      } else if (Atomics.load(this.signal, 1) === 1) {
        throw new Error('worker thread stopped');
      } else {
        Atomics.wait(this.signal, 0, seen, 1000);
      }
      reply = this.replies.get(id);
    }
    this.replies.delete(id);
    if (reply.error !== undefined) throw new Error(reply.error);
    return reply.result as T;
  }

  /** Posts an operation without waiting for it, unless `maxSendsInFlight` are unanswered: then for the oldest. */
  send(op: string, args?: unknown): void {
    this.sends.push(this.request(op, args));
    if (this.sends.length > this.maxSendsInFlight) this.take(this.sends.shift()!);
  }

  /** `request` then `take`, after taking every `send` before it (throwing the first failure). */
  call<T>(op: string, args?: unknown): T {
    const id = this.request(op, args);
    while (this.sends.length > 0) this.take(this.sends.shift()!);
    return this.take<T>(id);
  }

  /** Runs `op` (the store's last operation, e.g. closing its database), then lets go of the thread. */
  close(op?: string): void {
    if (this.closed) return;
    try {
      if (op) this.call(op);
    } finally {
      this.closed = true;
      this.port.close();
      if (--this.thread.channels === 0) {
        void this.thread.worker.terminate();
        if (this.thread === host) host = undefined;
      }
    }
  }
}
