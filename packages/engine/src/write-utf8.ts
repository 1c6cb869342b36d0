// A hot-path helper for plugins that append many small strings to their own buffers. Its own
// package export (`@idflow/engine/write-utf8`), so a worker thread can load it without the engine.

/**
 * Node's UTF-8 encoder behind `Buffer#write`, without its argument checks: called a few times per
 * record (import bodies, the userName log), the public wrapper took several times longer than the
 * encoding itself, and far longer again whenever V8 deoptimised it. Present on Buffer.prototype in
 * every Node release; `Buffer#write` stands in should one drop it.
 */
const utf8Write = (Buffer.prototype as unknown as { utf8Write?: (this: Buffer, text: string, offset: number) => number }).utf8Write;

/** Writes `text` as UTF-8 into `buffer` at `offset` (the caller made room); answers the bytes written. */
export function writeUtf8(buffer: Buffer, text: string, offset: number): number {
  return utf8Write ? utf8Write.call(buffer, text, offset) : buffer.write(text, offset);
}
