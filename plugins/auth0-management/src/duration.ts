// Durations in the `with:` block: one number and a unit (`500ms`, `1s`, `30s`, `6h`), as the schema's pattern admits.

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s` → 30000. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`invalid duration "${text}" (use e.g. "500ms", "30s", "6h")`);
  return Number(match[1]) * unitMs[match[2]];
}
