// Splits a byte stream into lines on 0x0a, tracking each line's 1-based number and byte offset.
// Works on Buffers (no per-line regex, no string concatenation): only the bytes of a line that
// spans two chunks are copied.

/** Called for each line; `start`/`end` delimit it in `buf`, without the `\n` and a trailing `\r`. */
export type OnLine = (buf: Buffer, start: number, end: number, line: number, offset: number) => void;

/** Called instead of OnLine for a line longer than the limit (its bytes are skipped, memory stays bounded). */
export type OnTooLong = (line: number, offset: number, excerpt: Buffer) => void;

export class LineSplitter {
  private carry: Buffer | undefined;
  /** Absolute offset of the first byte of `carry` (or of the next chunk when there is no carry). */
  private carryOffset: number;
  private line: number;
  /** Inside an over-long line: bytes are dropped until its end. */
  private discarding = false;

  /** `offset`: absolute offset of the first byte fed; `linesBefore`: lines before it. */
  constructor(
    offset: number,
    linesBefore: number,
    private readonly maxLineBytes: number,
    private readonly onLine: OnLine,
    private readonly onTooLong: OnTooLong,
  ) {
    this.carryOffset = offset;
    this.line = linesBefore;
  }

  feed(chunk: Buffer): void {
    let buf = chunk;
    let base = this.carryOffset;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let pos = 0;
    let newline = buf.indexOf(10, pos);
    while (newline !== -1) {
      this.emit(buf, pos, newline, base + pos);
      pos = newline + 1;
      newline = buf.indexOf(10, pos);
    }
    base += pos;
    if (pos < buf.length) {
      const rest = buf.subarray(pos);
      if (this.discarding) {
        base += rest.length; // still inside the over-long line: drop, but keep counting bytes
      } else if (rest.length > this.maxLineBytes) {
        this.line += 1;
        this.onTooLong(this.line, base, rest.subarray(0, 200));
        this.discarding = true;
        base += rest.length;
      } else {
        this.carry = rest;
      }
    }
    this.carryOffset = base;
  }

  /** The last line when the input does not end with a newline. */
  end(): void {
    if (this.carry && !this.discarding) this.emit(this.carry, 0, this.carry.length, this.carryOffset);
    this.carry = undefined;
  }

  private emit(buf: Buffer, start: number, end: number, offset: number): void {
    if (this.discarding) {
      // The newline that ends an over-long line already counted as its line.
      this.discarding = false;
      return;
    }
    this.line += 1;
    if (end > start && buf[end - 1] === 13) end -= 1;
    this.onLine(buf, start, end, this.line, offset);
  }
}
