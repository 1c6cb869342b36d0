import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-line.js';

describe('csvLine', () => {
  it('quotes every cell, doubles quotes, keeps commas and line breaks inside the quotes, ends with CRLF', () => {
    expect(csvLine(['auth0|1', 'a@b.c', 'say "hi", then\nbye', undefined, 3])).toBe('"auth0|1","a@b.c","say ""hi"", then\nbye","","3"\r\n');
  });
  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', "'quoted"])('guards %j against CSV injection with a leading quote', (value) => {
    expect(csvCell(value)).toBe(`"'${value.replaceAll('"', '""')}"`);
  });
  it('leaves ordinary cells as they are', () => {
    expect(csvCell('jane@example.com')).toBe('"jane@example.com"');
  });
});
