// Decides, per route and in request order, which fault (if any) a request gets. Each route has
// its own PRNG seeded from the configured seed, so concurrent traffic on other routes does not
// change a route's sequence: the same seed and the same requests give the same faults.
import type { FaultProbabilities } from '../options.js';
import { hashText, seededRandom } from './seeded-random.js';

export type FaultKind = keyof FaultProbabilities;

/** Fixed order in which probabilities are laid out on [0, 1). */
export const FAULT_KINDS: readonly FaultKind[] = ['unavailable', 'tooManyRequests', 'slow', 'resetAfterWrite', 'timeoutHalfWritten'];

export class FaultPlan {
  private readonly generators = new Map<string, () => number>();

  constructor(
    private readonly seed: number,
    private readonly probabilities: Required<FaultProbabilities>,
    private readonly routes: readonly string[] | undefined,
  ) {}

  /** True when any fault has a non-zero probability. */
  get active(): boolean {
    return FAULT_KINDS.some((kind) => this.probabilities[kind] > 0);
  }

  appliesTo(routeKey: string): boolean {
    return this.routes ? this.routes.includes(routeKey) : true;
  }

  /** The fault for the next request on `routeKey`, or undefined for a normal answer. */
  next(routeKey: string): FaultKind | undefined {
    if (!this.active || !this.appliesTo(routeKey)) return undefined;
    let generator = this.generators.get(routeKey);
    if (!generator) {
      generator = seededRandom(this.seed ^ hashText(routeKey));
      this.generators.set(routeKey, generator);
    }
    const draw = generator();
    let threshold = 0;
    for (const kind of FAULT_KINDS) {
      threshold += this.probabilities[kind];
      if (draw < threshold) return kind;
    }
    return undefined;
  }
}

/**
 * Parses the CLI fault spec, e.g. `503=0.05,429=0.02,slow=0.1,reset=0.01,timeout=0.01,slowMs=2000`
 * (long names `unavailable`, `tooManyRequests`, `resetAfterWrite`, `timeoutHalfWritten` also work).
 */
export function parseFaultSpec(spec: string): FaultProbabilities & { slowMs?: number } {
  const names: Record<string, FaultKind | 'slowMs'> = {
    '503': 'unavailable',
    unavailable: 'unavailable',
    '429': 'tooManyRequests',
    tooManyRequests: 'tooManyRequests',
    slow: 'slow',
    reset: 'resetAfterWrite',
    resetAfterWrite: 'resetAfterWrite',
    timeout: 'timeoutHalfWritten',
    timeoutHalfWritten: 'timeoutHalfWritten',
    slowMs: 'slowMs',
  };
  const result: FaultProbabilities & { slowMs?: number } = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    const key = names[name?.trim() ?? ''];
    const number = Number(value);
    if (!key) throw new Error(`unknown fault "${name}" in --faults (known: ${Object.keys(names).join(', ')})`);
    if (value === undefined || value.trim() === '' || !Number.isFinite(number)) {
      throw new Error(`fault "${name}" needs a number, e.g. ${name}=0.05`);
    }
    result[key] = number;
  }
  return result;
}
