// The emulator's capacity: at most `limit` requests in work at once; one more is turned away
// (429 or 503, configured) instead of queued, as an overloaded gateway does.

export class ConcurrencyGate {
  private inFlight = 0;
  private peak = 0;

  constructor(private readonly limit: number) {}

  /** Enters the gate; false when it is full. A true answer must be paired with `leave()`. */
  tryEnter(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  get current(): number {
    return this.inFlight;
  }

  get highWaterMark(): number {
    return this.peak;
  }
}
