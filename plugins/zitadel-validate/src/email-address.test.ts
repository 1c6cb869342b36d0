import { describe, expect, it } from 'vitest';
import { isEmailAddress } from './email-address.js';

describe('isEmailAddress (what Go net/mail accepts as a bare address)', () => {
  it.each([
    'jane@example.com',
    'jane.doe+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'user@localhost',
    '"john doe"@example.com',
    'user@[192.168.0.1]',
    'jörg@müller.de',
    'a!#$%&*/=?^_`{|}~-@example.com',
  ])('accepts %s', (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    '',
    'jane',
    'jane@',
    '@example.com',
    'jane@@example.com',
    'jane doe@example.com',
    ' jane@example.com',
    'Jane <jane@example.com>',
    '.jane@example.com',
    'jane.@example.com',
    'ja..ne@example.com',
    'jane@example..com',
    'jane@.example.com',
    'jane@example.com.',
    'jane(comment)@example.com',
  ])('refuses %j', (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });
});
