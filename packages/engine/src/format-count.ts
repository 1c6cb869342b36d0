// `1234567` → `1,234,567`, as `toLocaleString('en-US')` writes integers, without loading ICU's
// number formatting (its first call costs ~20 ms, a visible share of a small run's start).

/** Groups the digits of `value` (rounded to an integer) by thousands with commas. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = String(Math.abs(Math.round(value)));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return value < 0 && grouped !== '0' ? `-${grouped}` : grouped;
}
