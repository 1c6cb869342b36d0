import { describe, expect, it } from 'vitest';
import { toE164 } from './e164.js';

describe('toE164', () => {
  it.each([
    ['+14155550123', '+14155550123'],
    ['+1 (415) 555-0123', '+14155550123'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49.30.1234567', '+49301234567'],
    ['+86\u00a0138\u00a00013\u00a08000', '+8613800138000'],
    ['+123456789012345', '+123456789012345'], // 15 digits, the maximum
    ['+6834002', '+6834002'], // 7 digits (Niue), the shortest in service
  ])('%j → %j', (phone, expected) => {
    expect(toE164(phone)).toBe(expected);
  });

  it.each([
    ['4155550123'], // no country code: cannot be guessed
    ['0044 20 7946 0958'],
    ['+0123456'], // country codes never start with 0
    ['+12'], // far too short
    ['+683400'], // 6 digits
    ['+1234567890123456'], // 16 digits
    ['+1 415 CALL-NOW'],
    ['+'],
    [''],
    [14155550123],
    [undefined],
  ])('drops %j', (phone) => {
    expect(toE164(phone)).toBeUndefined();
  });
});
