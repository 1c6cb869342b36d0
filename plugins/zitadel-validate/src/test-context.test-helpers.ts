// A PluginContext that records what a plugin reports, for unit tests.

export { type RecordingContext, recordingContext } from '@idflow/engine';

export function envelope<T>(data: T, line = 1) {
  return { seq: line, origin: { file: 'users.ndjson', line, offset: 0 }, data };
}
