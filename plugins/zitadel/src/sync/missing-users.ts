// `onMissing`: after the source was read to its end, the org's human users that belong to this
// pipeline (their id starts with `idPrefix`, or — by default — with one of the prefixes the export's
// ids carry, e.g. `auth0|`) but that the export no longer holds. They are listed in
// `missing.ndjson` beside the report (id, userName, state), never deleted; with `deactivate` they
// are deactivated (an INITIAL one locked: DeactivateUserV2 refuses INITIAL, internal/command/user_v2.go).
// Nothing is deactivated when records were refused before the sink: their ids never reached it,
// so their absence proves nothing.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError, type PluginContext, type SinkFinishInfo, type SinkFinishResult } from '@idflow/engine';
import type { V2User } from '@idflow/zitadel-model';
import { type RetryPolicy, retryWithBackoff } from '../retry/retry-policy.js';
import type { PacedCaller } from '../users/paced-caller.js';
import type { DiffWriter } from './diff-writer.js';
import { PAGE_SIZE, readOrgUsersPage } from './read-user-parts.js';
import type { SeenUsers } from './seen-users.js';
import type { UserSync } from './user-sync.js';

export type OnMissing = 'list' | 'deactivate';

export interface MissingUsersOptions {
  orgId: string;
  onMissing: OnMissing;
  /** Users whose id starts with this are the pipeline's; default: the prefixes seen in the export. */
  idPrefix?: string;
  policy: RetryPolicy;
  signal: AbortSignal;
  diff?: DiffWriter;
}

/** Lists (and, when asked, deactivates) the users of the pipeline that the export no longer holds. */
export async function settleMissingUsers(
  caller: PacedCaller,
  sync: UserSync,
  seen: SeenUsers,
  ctx: PluginContext,
  options: MissingUsersOptions,
  info: SinkFinishInfo,
): Promise<SinkFinishResult> {
  const prefixes = options.idPrefix !== undefined ? [options.idPrefix] : seen.idPrefixes();
  if (prefixes.length === 0) {
    ctx.warn('missing users not looked for: the export\'s ids carry no prefix (such as "auth0|"); set sink.with.idPrefix to name the ids this pipeline owns');
    return { missing: { count: 0, deactivated: 0 } };
  }
  const deactivate = options.onMissing === 'deactivate' && !options.diff;
  const mayDeactivate = deactivate && info.refusedBeforeSink === 0;
  if (deactivate && !mayDeactivate) {
    ctx.warn(`missing users are only listed, not deactivated: ${info.refusedBeforeSink} records were refused before the sink, so their users may be among them`);
  }
  const path = options.diff ? undefined : join(info.outputDir, 'missing.ndjson');
  const file = path ? openSync(path, 'w', 0o600) : undefined;
  let count = 0;
  let deactivated = 0;
  try {
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await retryWithBackoff(options.policy, () => readOrgUsersPage(caller, options.orgId, offset), { signal: options.signal });
      if (page.kind === 'exhausted') throw new FatalError(`the organization's users could not be listed to find missing ones: ${page.reason}`, 'TARGET_UNAVAILABLE');
      const missing = page.value.filter((user) => prefixes.some((prefix) => user.userId.startsWith(prefix)) && !seen.has(user.userId));
      count += missing.length;
      for (const user of missing) {
        if (options.diff) options.diff.line({ id: user.userId, userName: user.username, action: 'missing', state: user.state });
        if (mayDeactivate && (await deactivateMissing(sync, user))) deactivated += 1;
      }
      if (file !== undefined && missing.length > 0) {
        writeSync(file, `${missing.map((user) => JSON.stringify({ id: user.userId, userName: user.username, state: user.state })).join('\n')}\n`);
      }
      if (page.value.length < PAGE_SIZE) break;
    }
  } finally {
    if (file !== undefined) closeSync(file);
  }
  ctx.count('sync.missing', count);
  if (deactivated > 0) ctx.count('sync.missingDeactivated', deactivated);
  return { missing: { count, deactivated, ...(path ? { path } : {}) } };
}

/** Deactivates one missing user (locks an INITIAL one); true when this call changed its state. */
async function deactivateMissing(sync: UserSync, user: V2User): Promise<boolean> {
  if (user.state === 'USER_STATE_INACTIVE') return false;
  const action = user.state === 'USER_STATE_INITIAL' ? 'lock' : 'deactivate';
  const failure = await sync.applyState(user.userId, 'USER_STATE_INACTIVE (missing from the export)', action);
  if (failure) throw new FatalError(`missing user ${user.userId} could not be deactivated: ${failure.reason}`, 'TARGET_UNAVAILABLE');
  return true;
}
