// Counters a test or a benchmark compares with what a client reported: requests per route and
// status, import outcomes, injected faults, plus what the database holds.
import type { NotificationCounts } from './db/user-store.js';
import type { FaultKind } from './faults/fault-plan.js';

export interface EmulatorStatsSnapshot {
  users: number;
  usersByState: Record<string, number>;
  metadata: number;
  orgs: number;
  sessions: number;
  events: number;
  /** The e-mails and SMS ZITADEL would send (init codes, verification codes not returned). */
  notifications: NotificationCounts;
  /** `"POST /admin/v1/import" → { "200": 3, "reset": 1 }` */
  requests: Record<string, Record<string, number>>;
  imports: { calls: number; usersWritten: number; userErrors: number; timedOut: number };
  v2UsersCreated: number;
  faults: { total: number; byKind: Partial<Record<FaultKind, number>>; byRoute: Record<string, Partial<Record<FaultKind, number>>> };
  rateLimited: number;
  overloaded: number;
  inFlight: number;
  peakInFlight: number;
}

/** The in-memory counters of one running emulator (the database counts are read on demand). */
export class RequestCounters {
  readonly requests: Record<string, Record<string, number>> = {};
  readonly imports = { calls: 0, usersWritten: 0, userErrors: 0, timedOut: 0 };
  readonly faults: EmulatorStatsSnapshot['faults'] = { total: 0, byKind: {}, byRoute: {} };
  v2UsersCreated = 0;
  rateLimited = 0;
  overloaded = 0;

  countRequest(routeKey: string, outcome: number | 'reset'): void {
    const byStatus = (this.requests[routeKey] ??= {});
    byStatus[String(outcome)] = (byStatus[String(outcome)] ?? 0) + 1;
  }

  countFault(routeKey: string, kind: FaultKind): void {
    this.faults.total++;
    this.faults.byKind[kind] = (this.faults.byKind[kind] ?? 0) + 1;
    const byRoute = (this.faults.byRoute[routeKey] ??= {});
    byRoute[kind] = (byRoute[kind] ?? 0) + 1;
  }
}
