// A PluginContext that records what the plugin reports, and small builders for user records.
import type { Origin, PluginContext, RecordEnvelope } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

export interface RecordingContext extends PluginContext {
  counts: Map<string, number>;
  warnings: { message: string; origin?: Origin }[];
  logs: { level: string; message: string; fields?: { [key: string]: unknown } }[];
}

export function recordingContext(): RecordingContext {
  const counts = new Map<string, number>();
  const warnings: RecordingContext['warnings'] = [];
  const logs: RecordingContext['logs'] = [];
  return {
    baseDir: process.cwd(),
    dryRun: false,
    signal: new AbortController().signal,
    counts,
    warnings,
    logs,
    count(metric, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message, origin) {
      warnings.push({ message, origin });
    },
    log(level, message, fields) {
      logs.push({ level, message, fields });
    },
  };
}

let line = 0;

/** A mapped ZITADEL user as the field-mapper emits it, with `hash` as its hashedPassword (if any). */
export function userEnvelope(email: string, hash?: string): RecordEnvelope<ZitadelUserRecord> {
  line += 1;
  const data: ZitadelUserRecord = {
    userId: `auth0|user${line}`,
    user: {
      userName: email,
      profile: { firstName: 'Test', lastName: 'User' },
      email: { email, isEmailVerified: true },
      ...(hash === undefined ? {} : { hashedPassword: { value: hash } }),
    },
    metadata: [],
    state: 'USER_STATE_ACTIVE',
  };
  return { seq: line, origin: { file: 'users.ndjson', line, offset: line * 100 }, data };
}
