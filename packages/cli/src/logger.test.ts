import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, LogOutput } from './logger.js';

let written: string;
beforeEach(() => {
  written = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += chunk.toString();
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('createLogger', () => {
  it('writes JSON lines to stderr and never writes secret-named fields', () => {
    const logger = createLogger({ format: 'json', output: new LogOutput() });
    logger.info({ plugin: 'zitadel-import', clientSecret: 's3cr3t', auth: { token: 't0k3n' } }, 'authenticated');
    const line = JSON.parse(written) as { [key: string]: unknown };
    expect(line).toMatchObject({ level: 30, msg: 'authenticated', plugin: 'zitadel-import', clientSecret: '[redacted]', auth: { token: '[redacted]' } });
    expect(written).not.toContain('s3cr3t');
    expect(written).not.toContain('t0k3n');
  });

  it('pretty-prints one readable line per message', () => {
    const logger = createLogger({ format: 'pretty', output: new LogOutput() });
    logger.warn({ plugin: 'ndjson' }, 'ndjson: 3 lines had a BOM');
    expect(written).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: ndjson: 3 lines had a BOM\n$/);
  });

  it('--quiet keeps warnings only; --debug adds debug lines', () => {
    const quiet = createLogger({ format: 'json', quiet: true, output: new LogOutput() });
    quiet.info('progress');
    expect(written).toBe('');
    quiet.warn('slow target');
    expect(written).toContain('slow target');
    written = '';
    createLogger({ format: 'json', debug: true, output: new LogOutput() }).debug('batch sent');
    expect(written).toContain('batch sent');
  });

  it('routes lines above a progress bar while one is attached', () => {
    const output = new LogOutput();
    const above: string[] = [];
    output.attach((text) => above.push(text));
    createLogger({ format: 'json', output }).info('while drawing');
    output.detach();
    expect(written).toBe('');
    expect(above.join('')).toContain('while drawing');
  });
});
