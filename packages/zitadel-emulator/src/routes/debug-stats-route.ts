// `GET /debug/stats` (emulator only, behind an IAM_OWNER token): what the emulator holds and saw.
import { requireIamOwner } from '../auth/permissions.js';
import type { EmulatorStatsSnapshot } from '../emulator-stats.js';
import type { RouteDefinition } from '../http/route.js';

export function debugStatsRoute(snapshot: () => EmulatorStatsSnapshot): RouteDefinition {
  return {
    method: 'GET',
    path: '/debug/stats',
    auth: 'bearer',
    internal: true,
    async handle({ principal }) {
      requireIamOwner(principal, 'iam.read');
      return { status: 200, body: snapshot() };
    },
  };
}
