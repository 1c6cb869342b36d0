import { describe, expect, it } from 'vitest';
import { typedScalar } from './typed-scalar.js';

describe('typedScalar', () => {
  it('reads numbers and booleans as YAML does, unless the number would not be the one written', () => {
    expect(typedScalar('5432')).toBe(5432);
    expect(typedScalar('007')).toBe(7);
    expect(typedScalar('1.50')).toBe(1.5);
    expect(typedScalar('true')).toBe(true);
    expect(typedScalar('9007199254740991')).toBe(9_007_199_254_740_991);
    // A ZITADEL org id: past 2^53, as a number it would be 200000000000000000.
    expect(typedScalar('200000000000000001')).toBe('200000000000000001');
    expect(typedScalar('-9007199254740993')).toBe('-9007199254740993');
    expect(typedScalar('3.14159265358979323846')).toBe('3.14159265358979323846');
    expect(typedScalar('0.000000000000000000125')).toBe(1.25e-19);
    expect(typedScalar('abc')).toBe('abc');
  });
});
