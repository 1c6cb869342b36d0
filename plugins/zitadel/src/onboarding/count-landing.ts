// What the report shows of each user a ZITADEL sink wrote: the state it lands in, the messages
// ZITADEL would send it (when SMTP / SMS is set up), and why it has no password when it has none.
// The engine lists `written.without-password.<cause>` in the run summary.
import { metricNames, type PluginContext } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import type { Landing } from './onboarding.js';

const stateMetric = metricNames('state.');
const notificationMetric = metricNames('notifications.');
const withoutPasswordMetric = metricNames('written.without-password.');

/** Counts one written user: `state.<state>`, `notifications.<kind>`, `written.without-password.<cause>`. */
export function countLanding(ctx: PluginContext, record: ZitadelUserRecord, landing: Landing): void {
  ctx.count(stateMetric(landing.state));
  for (const notification of landing.notifications) ctx.count(notificationMetric(notification));
  // A record from a custom mapping may carry no cause: it had no hash to begin with.
  if (!record.user.hashedPassword?.value) ctx.count(withoutPasswordMetric(record.withoutPassword ?? 'no-hash-in-export'));
}
