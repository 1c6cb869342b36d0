// The bulk import answers 200 even when users fail: each failure is an entry in `errors[]`.
// This turns the answer into one outcome per user, in batch order.
import type { SinkOutcome } from '@idflow/engine';
import type { ImportDataResponse, ZitadelUserRecord } from '@idflow/zitadel-model';

/** A metadata entry ZITADEL refused for a user that was imported. */
export interface MetadataFailure {
  userId: string;
  key: string;
  message: string;
}

export interface ImportAnswerReading {
  outcomes: SinkOutcome[];
  metadataFailures: MetadataFailure[];
}

/** Outcome for one `human_user` error message (`ID=<id> Message=<i18n key>`). */
export function outcomeForUserError(message: string): SinkOutcome {
  if (message.includes('Errors.User.AlreadyExisting')) return { status: 'present' };
  if (message.includes('Errors.User.AlreadyExists')) {
    return { status: 'rejected', reason: 'userName already taken in ZITADEL', detail: { zitadel: message } };
  }
  const hashProblem = /Errors\.(User\.Password\.(NotSupported|Invalid)|Hash\.NotSupported)/.exec(message);
  if (hashProblem) {
    return { status: 'rejected', reason: `ZITADEL refused the password hash: ${hashProblem[0]}`, detail: { zitadel: message } };
  }
  return { status: 'rejected', reason: `ZITADEL refused the user: ${message}`, detail: { zitadel: message } };
}

/** Reads `errors[]` and `success` into outcomes; org errors (AlreadyExisting) are expected and skipped. */
export function readImportResponse(records: ZitadelUserRecord[], response: ImportDataResponse): ImportAnswerReading {
  const imported = new Set((response.success?.orgs ?? []).flatMap((o) => o.humanUserIds ?? []));
  const userErrors = new Map<string, string>();
  const metadataErrors: { id: string; message: string }[] = [];
  for (const error of response.errors ?? []) {
    if (error.type === 'human_user') userErrors.set(error.id, error.message);
    else if (error.type === 'user_metadata') metadataErrors.push(error);
  }
  const outcomes = records.map((record): SinkOutcome => {
    const error = userErrors.get(record.userId);
    if (error !== undefined) return outcomeForUserError(error);
    if (imported.has(record.userId)) return { status: 'written' };
    // Neither imported nor failed: ZITADEL skipped it (e.g. the org could not be used).
    return { status: 'rejected', reason: 'ZITADEL neither imported nor refused this user (org unusable?)' };
  });
  const metadataFailures: MetadataFailure[] = [];
  for (const error of metadataErrors) {
    // Metadata error ids are `<userId>_<key>`; user ids may contain `_`, so match known pairs.
    const match = records.flatMap((r) => r.metadata.map((m) => ({ r, m }))).find(({ r, m }) => error.id === `${r.userId}_${m.key}`);
    // Re-runs report existing metadata again: only failures of users written now are news.
    if (match && imported.has(match.r.userId)) metadataFailures.push({ userId: match.r.userId, key: match.m.key, message: error.message });
  }
  return { outcomes, metadataFailures };
}
