import { describe, expect, it } from 'vitest';
import { metricNames } from './metric-names.js';

describe('metricNames', () => {
  it('answers prefix + name, for names seen before and new ones', () => {
    const algorithm = metricNames('algorithm.');
    expect(algorithm('bcrypt')).toBe('algorithm.bcrypt');
    expect(algorithm(['bc', 'rypt'].join(''))).toBe('algorithm.bcrypt');
    expect(algorithm('argon2')).toBe('algorithm.argon2');
    expect(metricNames('no-password.')('bcrypt')).toBe('no-password.bcrypt');
  });
});
