import { CheckpointMismatchError, ConfigError, ExitCode, FatalError, IdflowError } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { describeError, exitCodeFor, UsageError } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('maps each error class to its documented exit code', () => {
    expect(exitCodeFor(new ConfigError([{ path: 'x', message: 'bad' }]))).toBe(ExitCode.config);
    expect(exitCodeFor(new CheckpointMismatchError('inputs changed'))).toBe(ExitCode.config);
    expect(exitCodeFor(new UsageError('Unknown argument: x'))).toBe(ExitCode.config);
    expect(exitCodeFor(new FatalError('target unreachable'))).toBe(ExitCode.incomplete);
    expect(exitCodeFor(new IdflowError('interrupted', 'INTERRUPTED', ExitCode.interrupted))).toBe(130);
  });
  it('treats unexpected errors as exit 1', () => {
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });
  it('recognises an IdflowError from another copy of the engine by its shape', () => {
    const foreign = Object.assign(new Error('refused'), { code: 'CONFIG_INVALID', exitCode: 2 });
    expect(exitCodeFor(foreign)).toBe(2);
  });
});

describe('describeError', () => {
  it('prints config problems one per line, then a count', () => {
    const error = new ConfigError([
      { file: 'p.yaml', line: 3, col: 5, path: 'sink.use', message: 'is required' },
      { file: 'p.yaml', line: 9, col: 14, path: 'concurrency', message: 'must be >= 1 (got 0)' },
    ]);
    expect(describeError(error, false)).toBe('p.yaml:3:5 sink.use: is required\np.yaml:9:14 concurrency: must be >= 1 (got 0)\nidflow: invalid configuration: 2 problems');
  });
  it('prints one line without a stack trace, unless debugging', () => {
    const error = new FatalError('ZITADEL refused the token');
    expect(describeError(error, false)).toBe('idflow: ZITADEL refused the token');
    const withStack = describeError(error, true);
    expect(withStack.startsWith('idflow: ZITADEL refused the token\nFatalError: ZITADEL refused the token\n    at ')).toBe(true);
  });
  it('adds a usage hint to usage errors', () => {
    expect(describeError(new UsageError('Unknown argument: frob'), false)).toBe('idflow: Unknown argument: frob\nRun "idflow --help" for usage.');
  });
});
