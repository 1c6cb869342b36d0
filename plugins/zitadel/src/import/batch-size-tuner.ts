// The import must finish inside its `timeout`, or ZITADEL cuts it off and the batch's fate is
// unknown. The tuner keeps answers at about half the timeout: it shrinks the batch when an answer
// comes close and grows it back slowly while answers are quick.

export class BatchSizeTuner {
  private size: number;

  constructor(
    private readonly maxSize: number,
    private readonly timeoutMs: number,
    private readonly minSize = 1,
  ) {
    this.size = maxSize;
  }

  /** Users to put in the next request. */
  get current(): number {
    return this.size;
  }

  /** Learns from a completed import of `users` users that took `elapsedMs`. */
  observe(elapsedMs: number, users: number): void {
    const target = this.timeoutMs * 0.5;
    if (elapsedMs > this.timeoutMs * 0.6) {
      const fitting = Math.floor((users * target) / Math.max(elapsedMs, 1));
      this.size = Math.max(this.minSize, Math.min(this.size, fitting));
    } else if (elapsedMs < this.timeoutMs * 0.25 && users >= this.size) {
      this.size = Math.min(this.maxSize, Math.ceil(this.size * 1.25));
    }
  }

  /** Halves the size after a request timed out. */
  shrink(): number {
    this.size = Math.max(this.minSize, Math.floor(this.size / 2));
    return this.size;
  }
}
