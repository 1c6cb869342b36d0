// `orgName` becomes the import's `org.name`, an `AddOrgRequest.name` (proto/zitadel/management.proto:
// `min_len: 1, max_len: 200`, in runes), which `Org.IsValid` trims and refuses empty
// (internal/domain/org.go). One bad name would make ZITADEL refuse every import request.
import type { ConfigCheckProblem } from '@idflow/engine';

/** The problems of an `orgName` option (none when absent). */
export function checkOrgName(orgName: string | undefined): ConfigCheckProblem[] {
  if (orgName === undefined) return [];
  if (orgName.trim() === '') return [{ path: ['orgName'], message: 'must not be empty or only whitespace (ZITADEL trims organization names)' }];
  const runes = [...orgName].length;
  if (runes > 200) return [{ path: ['orgName'], message: `must be at most 200 runes (got ${runes}), ZITADEL's limit for organization names` }];
  return [];
}
