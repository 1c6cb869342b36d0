// The simulated write cost: a request that writes n users takes at least n × cost ms. Paced
// against an absolute schedule, so timer overshoot does not add up over a batch and the capacity
// of one request stream is exactly 1000 / cost users/s (or less when the CPU is the limit).

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WritePacer {
  private readonly startedAt = performance.now();
  private charged = 0;

  constructor(private readonly costMs: number) {}

  /** Accounts for `users` more writes and waits until the schedule allows them. */
  async charge(users = 1): Promise<void> {
    if (this.costMs <= 0) return;
    this.charged += this.costMs * users;
    const wait = this.startedAt + this.charged - performance.now();
    if (wait >= 1) await sleep(wait);
  }
}
