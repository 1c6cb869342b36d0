// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are pipeline text using ${VAR} interpolation, not templates
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { interpolateDocument, interpolateText } from './interpolate.js';

const env = { HOST: 'db.local', PORT: '5432', EMPTY: '', FLAG: 'true' };

describe('interpolateText', () => {
  it('substitutes ${VAR} anywhere in the text', () => {
    expect(interpolateText('postgres://${HOST}:${PORT}/x', env)).toEqual({ value: 'postgres://db.local:5432/x', wholeExpression: false, problems: [], emptyVariables: [] });
  });
  it('uses the default of ${VAR:-default} when unset or empty, the value otherwise', () => {
    expect(interpolateText('${MISSING:-out.ndjson}', env).value).toBe('out.ndjson');
    expect(interpolateText('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateText('${HOST:-other}', env).value).toBe('db.local');
    expect(interpolateText('${MISSING:-}', env).value).toBe('');
  });
  it('reports ${VAR:?message} with its message when unset or empty', () => {
    expect(interpolateText('${TOKEN:?set TOKEN to the API token}', env).problems).toEqual([
      'environment variable TOKEN is not set: set TOKEN to the API token',
    ]);
    expect(interpolateText('${EMPTY:?needed}', env).problems).toEqual(['environment variable EMPTY is empty: needed']);
    expect(interpolateText('${PORT:?needed}', env)).toMatchObject({ value: '5432', problems: [] });
  });
  it('reports every unset variable without a default, by name', () => {
    expect(interpolateText('${A}/${HOST}/${B}', env).problems).toEqual([
      'environment variable A is not set (use ${A:-default} for a default)',
      'environment variable B is not set (use ${B:-default} for a default)',
    ]);
  });
  it('keeps an empty variable as an empty string, and names it (an output path built on it is suspect)', () => {
    expect(interpolateText('x${EMPTY}y', env)).toMatchObject({ value: 'xy', problems: [], emptyVariables: ['EMPTY'] });
    expect(interpolateText('${EMPTY:-}/x', env)).toMatchObject({ value: '/x', emptyVariables: [] });
  });
  it('turns $${ into a literal ${', () => {
    expect(interpolateText('cost $${HOST} and ${HOST}', env)).toMatchObject({ value: 'cost ${HOST} and db.local', problems: [] });
  });
  it('reports malformed and unterminated references', () => {
    expect(interpolateText('${1BAD}', env).problems).toEqual(['malformed variable reference "${1BAD}"']);
    expect(interpolateText('abc ${HOST', env).problems).toEqual(['unterminated "${" (write "$${" for a literal "${")']);
  });
  it('tells whether the text was exactly one expression', () => {
    expect(interpolateText('${PORT}', env).wholeExpression).toBe(true);
    expect(interpolateText('${PORT}x', env).wholeExpression).toBe(false);
    expect(interpolateText('${A:-1}${B:-2}', env).wholeExpression).toBe(false);
  });
});

describe('interpolateDocument', () => {
  it('types a plain single-expression scalar as number/boolean, keeps quoted and mixed ones strings', () => {
    const doc = parseDocument(
      ['port: ${PORT}', 'quoted: "${PORT}"', 'flag: ${FLAG}', 'mixed: ${PORT}0x', 'host: ${HOST}', 'list: [a, "${HOST}"]', 'block: |', '  ${HOST}'].join('\n'),
    );
    expect(interpolateDocument(doc, env)).toEqual({
      problems: [],
      typed: [
        { path: ['port'], text: '5432' },
        { path: ['flag'], text: 'true' },
      ],
      emptyVariables: new Map(),
    });
    expect(doc.toJS()).toEqual({ port: 5432, quoted: '5432', flag: true, mixed: '54320x', host: 'db.local', list: ['a', 'db.local'], block: 'db.local\n' });
  });
  it('names the set-but-empty variables of each value, by path', () => {
    const doc = parseDocument('dlq:\n  path: "${EMPTY}/dead-letter.ndjson"\nsink: { with: { path: "${EMPTY:-out}/x" } }\n');
    expect(interpolateDocument(doc, env).emptyVariables).toEqual(new Map([['dlq.path', ['EMPTY']]]));
  });
  it('does not interpolate keys, and reports problems with their path', () => {
    const doc = parseDocument('sink:\n  with:\n    ${KEY}: 1\n    token: ${TOKEN}\ntransforms:\n  - use: x\n    with: { a: "${NOPE}" }\n');
    expect(interpolateDocument(doc, env).problems).toEqual([
      { path: ['sink', 'with', 'token'], message: 'environment variable TOKEN is not set (use ${TOKEN:-default} for a default)' },
      { path: ['transforms', 0, 'with', 'a'], message: 'environment variable NOPE is not set (use ${NOPE:-default} for a default)' },
    ]);
    expect(doc.toJS().sink.with).toHaveProperty('${KEY}', 1);
  });
});
