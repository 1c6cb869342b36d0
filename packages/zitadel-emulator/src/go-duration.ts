// Go's time.ParseDuration, which ZITADEL applies to the import `timeout` ("5m0s", "1.5s", "300ms").

const MILLISECONDS_PER_UNIT: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration string into milliseconds; the error text is Go's. */
export function parseGoDuration(text: string): number {
  const invalid = new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid;
  let total = 0;
  while (rest !== '') {
    if (/^\d*(\.\d*)?$/.test(rest)) throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    const match = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (!match || (match[1] === '' && (match[2] ?? '') === '')) throw invalid;
    const unit = MILLISECONDS_PER_UNIT[match[3]];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(match[3])} in duration ${JSON.stringify(text)}`);
    total += Number(`${match[1] || '0'}.${match[2] || '0'}`) * unit;
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}
