// Durations in pipeline files: "250ms", "30s", "5m", "1h30m", "5m0s" (Go's style, which ZITADEL's
// own settings use), or a bare number of milliseconds.

const unitMs: { [unit: string]: number } = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The JSON Schema of a duration value (`description` says what it bounds). */
export function durationSchema(description: string): { [key: string]: unknown } {
  return {
    description: `${description} A duration like "90s", "5m", "1h30m", or milliseconds.`,
    anyOf: [
      { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', description: 'a duration like "30s" or "5m"' },
      { type: 'integer', minimum: 1, description: 'milliseconds' },
    ],
  };
}

/** Milliseconds of a duration the schema accepted; `undefined` gives `fallback`. */
export function parseDuration(value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) total += Number(amount) * unitMs[unit];
  return total;
}

/** `850ms`, `45s`, `5m`, `1h30m`: the shortest exact form, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000 || ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
