// Wires the batch builder to the sink dispatcher: full batches go straight out; a lingering
// partial batch goes out when a slot is free (at once, or as soon as one frees up), so the number
// of batches in flight never exceeds `concurrency`.

import type { Sink } from '../plugin.js';
import { BatchBuilder } from './batch-builder.js';
import type { RecordLedger } from './record-ledger.js';
import { type DispatchGuards, SinkDispatcher } from './sink-dispatcher.js';
import type { StopControl } from './stop-control.js';

export interface Delivery {
  builder: BatchBuilder;
  dispatcher: SinkDispatcher;
}

export function createDelivery(sink: Sink, sinkName: string, concurrency: number, ledger: RecordLedger, stop: StopControl, guards: DispatchGuards): Delivery {
  let lingerDue = false;
  const flushLingering = () => {
    if (stop.reason === 'failed') return;
    if (dispatcher.hasRoom) {
      lingerDue = false;
      builder.flush();
    } else lingerDue = true;
  };
  const builder: BatchBuilder = new BatchBuilder(sink.batching, (batch) => dispatcher.dispatch(batch), flushLingering);
  const dispatcher: SinkDispatcher = new SinkDispatcher(sink, sinkName, concurrency, ledger, stop.signal, (batch) => {
    builder.recycle(batch);
    if (lingerDue) flushLingering();
  }, guards);
  stop.onStop(() => dispatcher.wake());
  return { builder, dispatcher };
}

/**
 * After the source is done or a stop was requested: sends the partial batch (not after a fatal
 * error: the sink is broken) and waits for every batch in flight.
 */
export async function drainDelivery(delivery: Delivery | undefined, stop: StopControl): Promise<void> {
  if (!delivery) return;
  if (stop.reason !== 'failed') delivery.builder.flush();
  delivery.builder.dispose();
  await delivery.dispatcher.drain();
}
