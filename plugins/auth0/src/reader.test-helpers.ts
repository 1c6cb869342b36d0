// Test helpers for the container readers: UTF-8 text in memory as a reader's TextInput.

import type { ParsedItem, TextInput } from './parsed-item.js';
import { undecodableReason } from './text-decoding.js';

/** `chunks` (strings are UTF-8 encoded) as a reader's input starting at `startOffset`. */
export function textInput(chunks: (string | Buffer)[], startOffset = 0): TextInput {
  return {
    chunks: (async function* () {
      for (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    })(),
    startOffset,
    undecodable: (byte) => undecodableReason('utf-8', byte),
  };
}

/** Every item a reader yields, batches flattened. */
export async function itemsOf(batches: AsyncIterable<ParsedItem[]>): Promise<ParsedItem[]> {
  const items: ParsedItem[] = [];
  for await (const batch of batches) items.push(...batch);
  return items;
}
