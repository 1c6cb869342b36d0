// One CSV line (RFC 4180: every cell quoted, quotes doubled, CRLF) with a guard against CSV
// injection: a spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return) as a
// formula, so such a cell gets a leading `'`, the guard Auth0's own CSV export uses. A cell that
// already starts with `'` gets one too, so a reader can always strip exactly one.

const FORMULA_START = /^[=+\-@\t\r']/;

/** A cell as written: guarded and quoted. */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** One line of cells, ending with CRLF. */
export function csvLine(cells: readonly (string | number | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
