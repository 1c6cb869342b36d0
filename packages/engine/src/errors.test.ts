import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError, ConfigError, FatalError, IdflowError } from './errors.js';

// The built module is a second copy of the classes, as the bundled `idflow` command and a custom
// plugin importing `@idflow/engine` are (the test task runs after the build).
const other = (await import(new URL('../dist/errors.js', import.meta.url).href)) as typeof import('./errors.js');

describe('IdflowError across copies of the engine', () => {
  it('is the copy under test, not the same classes', () => {
    expect(other.FatalError).not.toBe(FatalError);
  });

  it('recognises an error of the other copy by its classes', () => {
    const fatal = new other.FatalError('target gone', 'AUTH');
    expect(fatal instanceof FatalError).toBe(true);
    expect(fatal instanceof IdflowError).toBe(true);
    expect(fatal instanceof ConfigError).toBe(false);
    expect(fatal instanceof CheckpointMismatchError).toBe(false);
    expect(new other.ConfigError([{ path: 'x', message: 'bad' }]) instanceof ConfigError).toBe(true);
    expect(new FatalError('x') instanceof other.FatalError).toBe(true);
  });

  it('does not take plain errors or look-alikes for idflow errors', () => {
    expect(new Error('x') instanceof IdflowError).toBe(false);
    expect(Object.assign(new Error('x'), { name: 'FatalError', code: 'FATAL' }) instanceof FatalError).toBe(false);
    expect((null as unknown as object) instanceof IdflowError).toBe(false);
  });

  it('matches a subclass without a brand of its own only by prototype', () => {
    class UsageLike extends IdflowError {}
    expect(new UsageLike('x', 'USAGE') instanceof UsageLike).toBe(true);
    expect(new UsageLike('x', 'USAGE') instanceof IdflowError).toBe(true);
    expect(new other.FatalError('x') instanceof UsageLike).toBe(false);
    expect(new FatalError('x') instanceof UsageLike).toBe(false);
  });
});
