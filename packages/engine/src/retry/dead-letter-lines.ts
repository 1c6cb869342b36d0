// Reading a dead-letter file back (see runner/dead-letter-writer.ts for what a line holds): which
// lines `idflow retry` replays, and which it cannot. A record refused by a transform or the sink
// is kept whole in its line — the source's record, as it entered the first transform — so it can
// enter the pipeline again. What the source itself refused (a malformed line, a password without a
// profile, a duplicate) is no record the pipeline could take: only fixing the input helps.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Origin } from '../plugin.js';

/** One line of a dead-letter file, classified. */
export type DeadLetterLine =
  | { kind: 'replayable'; stage: string; reason: string; origin: Origin; record: unknown }
  /** `origin`: the `file:line` the line names. */
  | { kind: 'not-replayable'; stage: string; reason: string; origin: string; why: string }
  | { kind: 'unreadable'; why: string };

/** Why a source-stage dead letter cannot be replayed, shown in the summary and the report. */
export const REFUSED_BY_SOURCE = 'refused by the source (malformed input, a password without a profile, a duplicate…): fix the input and run the pipeline again';

/** Which dead letters a retry takes: all, or those whose reason (or `stage: reason`) matches. */
export interface DeadLetterSelection {
  reason?: RegExp;
}

/** True when `--reason` selects this dead letter (none given: every one). */
export function isSelected(selection: DeadLetterSelection, stage: string, reason: string): boolean {
  const pattern = selection.reason;
  return pattern === undefined || pattern.test(reason) || pattern.test(`${stage}: ${reason}`);
}

/** Classifies one line of text (`lineNumber` is 1-based, for messages). */
export function classifyDeadLetter(text: string, lineNumber: number): DeadLetterLine {
  let letter: { stage?: unknown; reason?: unknown; origin?: unknown; offset?: unknown; record?: unknown };
  try {
    letter = JSON.parse(text) as typeof letter;
  } catch {
    return { kind: 'unreadable', why: `line ${lineNumber} is not JSON (torn or edited)` };
  }
  const { stage, reason } = letter;
  if (typeof stage !== 'string' || typeof reason !== 'string' || typeof letter.origin !== 'string') {
    return { kind: 'unreadable', why: `line ${lineNumber} is not a dead letter (no stage, reason and origin)` };
  }
  const origin = letter.origin;
  if (stage === 'source') return { kind: 'not-replayable', stage, reason, origin, why: REFUSED_BY_SOURCE };
  if (!('record' in letter)) return { kind: 'not-replayable', stage, reason, origin, why: 'the line holds no record' };
  return { kind: 'replayable', stage, reason, origin: parseOrigin(origin, letter.offset), record: letter.record };
}

/** `users.ndjson:1234` (the file may hold colons) and the byte offset back into an Origin. */
function parseOrigin(text: string, offset: unknown): Origin {
  const colon = text.lastIndexOf(':');
  const line = colon > 0 ? Number(text.slice(colon + 1)) : Number.NaN;
  return {
    file: Number.isInteger(line) ? text.slice(0, colon) : text,
    line: Number.isInteger(line) ? line : 0,
    offset: typeof offset === 'number' ? offset : 0,
  };
}

/** Every non-blank line of a dead-letter file, classified, with the bytes read so far. */
export async function* readDeadLetters(path: string): AsyncGenerator<{ line: DeadLetterLine; bytesRead: number }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let bytesRead = 0;
  for await (const text of lines) {
    lineNumber += 1;
    bytesRead += Buffer.byteLength(text, 'utf8') + 1;
    if (text.trim() === '') continue;
    yield { line: classifyDeadLetter(text, lineNumber), bytesRead };
  }
}

/** Two origins name the same record. */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.file === b.file && a.line === b.line && a.offset === b.offset;
}
