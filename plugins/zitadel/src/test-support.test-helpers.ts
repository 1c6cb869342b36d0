// Shared by this package's tests: a recording PluginContext and ZitadelUserRecord factories.
import type { PluginContext, RecordEnvelope } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

/** The password behind `knownBcryptHash`. */
export const knownPassword = 'correct horse 1';
/** A bcrypt cost-10 hash of `knownPassword`, computed with bcryptjs. */
export const knownBcryptHash = '$2b$10$n3Wx7TfBK04f3mX2UuaMDezDEl3FV9eHqzJvdmQW3gULx4SmQ3Go2';

export interface RecordingContext extends PluginContext {
  counts: Map<string, number>;
  warnings: string[];
  logs: string[];
  controller: AbortController;
}

/** A PluginContext that remembers counters, warnings and logs (to grep them for secrets). */
export function recordingContext(baseDir = process.cwd()): RecordingContext {
  const controller = new AbortController();
  const counts = new Map<string, number>();
  const warnings: string[] = [];
  const logs: string[] = [];
  return {
    baseDir,
    dryRun: false,
    signal: controller.signal,
    controller,
    counts,
    warnings,
    logs,
    count(metric, by = 1) {
      counts.set(metric, (counts.get(metric) ?? 0) + by);
    },
    warn(message) {
      warnings.push(message);
    },
    log(level, message, fields) {
      logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    },
  };
}

/** A valid user; `overrides` patch the ImportHumanUser. */
export function makeUser(n: number, overrides: Partial<ZitadelUserRecord['user']> = {}, extra: Partial<ZitadelUserRecord> = {}): ZitadelUserRecord {
  return {
    userId: `auth0|u${String(n).padStart(5, '0')}`,
    user: {
      userName: `user${n}@example.com`,
      profile: { firstName: 'Ada', lastName: `Lovelace ${n}`, displayName: `Ada Lovelace ${n}`, preferredLanguage: 'en' },
      email: { email: `user${n}@example.com`, isEmailVerified: true },
      hashedPassword: { value: knownBcryptHash },
      ...overrides,
    },
    metadata: [{ key: 'plan', value: Buffer.from(JSON.stringify('pro')).toString('base64') }],
    state: 'USER_STATE_ACTIVE',
    ...extra,
  };
}

/** Wraps records in envelopes as the runner would. */
export function envelopes(records: ZitadelUserRecord[]): RecordEnvelope<ZitadelUserRecord>[] {
  return records.map((data, i) => ({ seq: i + 1, origin: { file: 'profiles.ndjson', line: i + 1, offset: i * 100 }, data }));
}
