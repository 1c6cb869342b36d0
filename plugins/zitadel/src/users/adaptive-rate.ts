// Concurrency alone cannot keep a fast client under a requests-per-second limit: on loopback one
// connection already sends hundreds of calls a second. In adaptive mode the sink therefore also
// learns a rate (AIMD on requests/s), in two modes:
// - searching: without a configured cap it starts at 50/s and doubles each second (slow start),
//   with a cap it sends at the cap. A few 429s are not acted on here: a flaky service throws some
//   at random, whatever the pace. A share of ≥ 15% (and ≥ 5 answers) is an overshoot: the rate is
//   halved (slow start overshoots by at most one doubling, as TCP's does) and the mode becomes
// - tracking: a limit exists. Each 429 cuts the rate to 95% of what the target lately accepted
//   (at most every 200 ms). Each calm second adds 3%, but only 0.5% near the rate at which the
//   last 429s came (as TCP CUBIC probes near its last loss), so the probe past the limit costs a
//   429 or two, not a burst. A cut after which the share of 429s did not fall is undone.
import { TokenBucket } from './token-bucket.js';

const windowMs = 1000;
const cutSpacingMs = 200;
const slowStartRate = 50;
const overshootShare = 0.15;
const overshootCount = 5;

export class AdaptiveRate {
  readonly bucket: TokenBucket;
  private readonly ceiling: number;
  private readonly adaptive: boolean;
  private slowStart: boolean;
  /** True once an overshoot showed that the target limits our rate. */
  private tracking = false;
  private rateBeforeCut: number | undefined;
  private shareAtCut: number | undefined;
  private lastCut = 0;
  /** The rate at which 429s last came: the limit is probably just below it. */
  private rateAtLastCut: number | undefined;
  private windowStart = performance.now();
  private answers = 0;
  private throttled = 0;
  private lastWindowAcceptedRate = 0;
  /** Rate cuts, for the report and tests. */
  cuts = 0;

  /** `ceiling` ≤ 0 means no configured cap. */
  constructor(ceiling: number, adaptive: boolean) {
    this.ceiling = ceiling;
    this.adaptive = adaptive;
    this.slowStart = adaptive && ceiling <= 0;
    this.bucket = new TokenBucket(this.slowStart ? slowStartRate : ceiling);
  }

  /** Requests/s allowed now (≤ 0 = unlimited). */
  get rate(): number {
    return this.bucket.rate;
  }

  /** Waits for a send slot. */
  take(signal?: AbortSignal): Promise<void> {
    return this.bucket.take(signal);
  }

  /** Counts one answer; `throttled` for a 429. */
  record(throttled: boolean): void {
    if (!this.adaptive) return;
    const now = performance.now();
    this.answers += 1;
    if (throttled) {
      this.throttled += 1;
      if (this.tracking) {
        if (now - this.lastCut >= cutSpacingMs) this.cut(this.acceptedRate(now) * 0.95, now);
      } else if (this.throttled >= overshootCount && this.throttled >= overshootShare * this.answers) {
        this.tracking = true;
        this.cut(this.acceptedRate(now) * 0.95, now);
      }
    }
    if (now - this.windowStart >= windowMs) this.closeWindow(now);
  }

  /** Requests/s the target accepted lately: this window so far, or the last one when this one just began. */
  private acceptedRate(now: number): number {
    const elapsed = now - this.windowStart;
    if (elapsed >= 200 || !this.lastWindowAcceptedRate) return ((this.answers - this.throttled) * 1000) / Math.max(elapsed, 1);
    return this.lastWindowAcceptedRate;
  }

  private cut(target: number, now: number): void {
    // Leaving slow start is never undone: the limit was surely overshot.
    this.rateBeforeCut = this.slowStart ? undefined : (this.rateBeforeCut ?? this.bucket.rate);
    const current = this.bucket.rate > 0 ? this.bucket.rate : Number.POSITIVE_INFINITY;
    if (!this.slowStart && this.bucket.rate > 0) this.rateAtLastCut = this.bucket.rate;
    // 0.45, not 0.5: requests already on the wire were sent at the doubled rate.
    const ceiling = this.slowStart ? current * 0.45 : current * 0.95;
    this.bucket.rate = Math.max(1, Math.min(ceiling, target));
    // Leaving slow start, what the target accepted is the best guess of its limit.
    if (this.slowStart) this.rateAtLastCut = this.bucket.rate / 0.95;
    this.slowStart = false;
    this.lastCut = now;
    this.cuts += 1;
  }

  private raise(now: number): void {
    const rate = this.bucket.rate;
    if (rate <= 0) return;
    // The remembered limit expires after 30 calm seconds: it may have moved.
    if (now - this.lastCut > 30_000) this.rateAtLastCut = undefined;
    const nearLimit = this.rateAtLastCut !== undefined && rate >= 0.97 * this.rateAtLastCut;
    const raised = this.slowStart ? rate * 2 : nearLimit ? rate * 1.005 + 0.5 : rate * 1.03 + 1;
    this.bucket.rate = this.ceiling > 0 ? Math.min(this.ceiling, raised) : raised;
  }

  private closeWindow(now: number): void {
    const elapsed = now - this.windowStart;
    const share = this.throttled / Math.max(1, this.answers);
    if (!this.tracking) {
      this.raise(now);
    } else if (this.throttled === 0) {
      this.shareAtCut = undefined;
      this.rateBeforeCut = undefined;
      this.raise(now);
    } else if (share >= overshootShare) {
      this.cut((((this.answers - this.throttled) * 1000) / elapsed) * 0.95, now);
      this.shareAtCut = share;
    } else if (this.shareAtCut !== undefined && this.throttled >= 5 && share >= 0.7 * this.shareAtCut && this.rateBeforeCut !== undefined) {
      // The cut did not reduce the 429s: not our pace. Undo it, and forget that "limit".
      this.bucket.rate = this.rateBeforeCut;
      this.rateBeforeCut = undefined;
      this.rateAtLastCut = undefined;
      this.shareAtCut = undefined;
    } else {
      this.shareAtCut = share;
    }
    this.lastWindowAcceptedRate = ((this.answers - this.throttled) * 1000) / elapsed;
    this.windowStart = now;
    this.answers = 0;
    this.throttled = 0;
  }
}
