import { FatalError } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { UserNameRegistry } from './user-name-registry.js';

describe('UserNameRegistry', () => {
  it('answers the first owner of a userName, case-insensitively', () => {
    const registry = new UserNameRegistry();
    expect(registry.claim('Jane@Example.com', 'auth0|1')).toBeUndefined();
    expect(registry.claim('JANE@example.COM', 'auth0|2')).toBe('auth0|1');
    expect(registry.claim('jane@example.com', 'auth0|3')).toBe('auth0|1');
    expect(registry.size).toBe(1);
  });

  it('lets the same user claim its own name again', () => {
    const registry = new UserNameRegistry();
    registry.claim('jane', 'auth0|1');
    expect(registry.claim('Jane', 'auth0|1')).toBeUndefined();
  });

  it('lowercases beyond ASCII', () => {
    const registry = new UserNameRegistry();
    registry.claim('ÉLODIE', 'auth0|1');
    expect(registry.claim('élodie', 'auth0|2')).toBe('auth0|1');
  });

  it('stops with a clear fatal error instead of a RangeError when full', () => {
    const registry = new UserNameRegistry(2);
    registry.claim('a', '1');
    registry.claim('b', '2');
    expect(registry.claim('A', '3')).toBe('1'); // lookups still work when full
    expect(() => registry.claim('c', '3')).toThrow(FatalError);
    expect(() => registry.claim('c', '3')).toThrow(/set uniqueUserNames: false/);
  });
});
