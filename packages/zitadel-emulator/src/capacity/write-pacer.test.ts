import { describe, expect, it } from 'vitest';
import { WritePacer } from './write-pacer.js';

describe('WritePacer', () => {
  it('makes n writes take at least n × cost', async () => {
    const pacer = new WritePacer(3);
    const started = performance.now();
    for (let i = 0; i < 10; i++) await pacer.charge();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('costs nothing at cost 0', async () => {
    const pacer = new WritePacer(0);
    await expect(pacer.charge(1000)).resolves.toBeUndefined();
  });
});
