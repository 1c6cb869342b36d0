import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from './terminal-text.js';

describe('escapeForTerminal', () => {
  it('shows escape sequences, C1 controls and bidi overrides as text', () => {
    expect(escapeForTerminal('phone "\u001b[2J\u001b[31mgotcha" is not E.164')).toBe('phone "\\x1b[2J\\x1b[31mgotcha" is not E.164');
    expect(escapeForTerminal('a\u009b31mb\u202ec\u0007')).toBe('a\\x9b31mb\\u202ec\\x07');
    expect(escapeForTerminal('line\nbreak\r')).toBe('line\\x0abreak\\x0d');
  });

  it('keeps tabs, ordinary Unicode, and newlines when asked', () => {
    expect(escapeForTerminal('Zoë\tFrançois 日本')).toBe('Zoë\tFrançois 日本');
    expect(escapeForTerminal('two\nlines\u001b', { keepNewlines: true })).toBe('two\nlines\\x1b');
  });
});
