// A PluginContext that records what the plugin reports, and small builders for user records.
import type { RecordEnvelope } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

export { type RecordingContext, recordingContext } from '@idflow/engine';

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
