import { describe, expect, it } from 'vitest';
import { classifyDeadLetter, isSelected, REFUSED_BY_SOURCE } from './dead-letter-lines.js';

describe('classifyDeadLetter', () => {
  it('replays transform and sink dead letters from their record, with the origin they had', () => {
    const line = JSON.stringify({ stage: 'sink:zitadel-import', reason: 'refused', origin: 'C:/exports/users:2024.ndjson:17', offset: 4096, record: { profile: { user_id: 'auth0|1' } } });
    expect(classifyDeadLetter(line, 3)).toEqual({
      kind: 'replayable',
      stage: 'sink:zitadel-import',
      reason: 'refused',
      origin: { file: 'C:/exports/users:2024.ndjson', line: 17, offset: 4096 },
      record: { profile: { user_id: 'auth0|1' } },
    });
  });

  it('does not replay what the source refused, nor lines that are not dead letters', () => {
    expect(classifyDeadLetter(JSON.stringify({ stage: 'source', reason: 'malformed JSON', origin: 'u.ndjson:4', offset: 9, record: '{"id": ' }), 1)).toEqual({
      kind: 'not-replayable',
      stage: 'source',
      reason: 'malformed JSON',
      origin: 'u.ndjson:4',
      why: REFUSED_BY_SOURCE,
    });
    expect(classifyDeadLetter('{"stage":"transform:x","reason":"r","origin":"u.ndjson:4"', 7)).toEqual({ kind: 'unreadable', why: 'line 7 is not JSON (torn or edited)' });
    expect(classifyDeadLetter('{"hello": 1}', 8)).toEqual({ kind: 'unreadable', why: 'line 8 is not a dead letter (no stage, reason and origin)' });
  });

  it('selects by reason or by "stage: reason", case-insensitive, or everything without --reason', () => {
    expect(isSelected({}, 'transform:hash-validator', 'anything')).toBe(true);
    expect(isSelected({ reason: /NOT SUPPORTED/i }, 'sink:zitadel-import', 'Errors.Hash.Not Supported')).toBe(true);
    expect(isSelected({ reason: /^sink:/i }, 'sink:zitadel-import', 'refused')).toBe(true);
    expect(isSelected({ reason: /^sink:/i }, 'transform:hash-validator', 'mentions sink: here')).toBe(false);
  });
});
