// The bulk import answers 200 even when users fail: each failure is an entry in `errors[]`, each
// success an id in `success.orgs[].humanUserIds` (`importHumanUsers`, internal/api/grpc/admin/
// import.go). Only those lists prove a user's fate: a user in neither is not counted as written.
import type { SinkOutcome } from '@idflow/engine';
import type { ImportDataResponse, ZitadelUserRecord } from '@idflow/zitadel-model';
import { type Refusal, readRefusal } from '../answers/zitadel-refusal.js';

/** The reason of a user whose fate the answer does not prove; the sink sends it again. */
export const UNPROVEN = 'ZITADEL answered the import without listing this user as imported or refused: the write is not proven';

/** A metadata entry ZITADEL refused for a user that was imported. */
export interface MetadataFailure {
  userId: string;
  key: string;
  message: string;
}

export interface ImportAnswerReading {
  outcomes: SinkOutcome[];
  /** Per user, the refusal when ZITADEL refused it (for the hash-verifier watch). */
  refusals: (Refusal | undefined)[];
  metadataFailures: MetadataFailure[];
  /** Set when ZITADEL skipped the org itself: its error message. */
  orgSkipped?: string;
}

/** Outcome for one `human_user` error message (`ID=<id> Message=<i18n key>`). */
export function outcomeForUserError(message: string): { outcome: SinkOutcome; refusal: Refusal } {
  const refusal = readRefusal(message, message);
  if (refusal.kind === 'user-exists') return { outcome: { status: 'present' }, refusal };
  return { outcome: { status: 'rejected', reason: refusal.reason, detail: { zitadel: message } }, refusal };
}

/** Reads `errors[]` and `success` into outcomes for the users of `orgId`. */
export function readImportResponse(records: ZitadelUserRecord[], response: ImportDataResponse, orgId: string): ImportAnswerReading {
  const successOrg = response.success?.orgs?.find((o) => o.orgId === orgId);
  const imported = new Set(successOrg?.humanUserIds ?? []);
  const userErrors = new Map<string, string>();
  const metadataErrors: { id: string; message: string }[] = [];
  let orgError: string | undefined;
  for (const error of response.errors ?? []) {
    if (error.type === 'human_user') userErrors.set(error.id, error.message);
    else if (error.type === 'user_metadata') metadataErrors.push(error);
    else if (error.type === 'org' && error.id === orgId) orgError = error.message;
  }
  const refusals: (Refusal | undefined)[] = [];
  const outcomes = records.map((record): SinkOutcome => {
    const error = userErrors.get(record.userId);
    if (error !== undefined) {
      const { outcome, refusal } = outcomeForUserError(error);
      refusals.push(refusal);
      return outcome;
    }
    refusals.push(undefined);
    if (imported.has(record.userId)) return { status: 'written' };
    return { status: 'retryable', reason: UNPROVEN };
  });
  const metadataFailures: MetadataFailure[] = [];
  for (const error of metadataErrors) {
    // Metadata error ids are `<userId>_<key>`; user ids may contain `_`, so match known pairs.
    const match = records.flatMap((r) => r.metadata.map((m) => ({ r, m }))).find(({ r, m }) => error.id === `${r.userId}_${m.key}`);
    // Re-runs report existing metadata again: only failures of users written now are news.
    if (match && imported.has(match.r.userId)) metadataFailures.push({ userId: match.r.userId, key: match.m.key, message: error.message });
  }
  // The org is in `success` whenever it exists (`importOrg1`: an ORG-lapo2n "already existing"
  // error is then harmless); absent with an org error, ZITADEL skipped every user of it.
  const orgSkipped = !successOrg && orgError !== undefined && userErrors.size === 0 ? orgError : undefined;
  return { outcomes, refusals, metadataFailures, ...(orgSkipped ? { orgSkipped } : {}) };
}
