// The ZITADEL sinks: bulk import, per-user API v2 and ImportData files; plus `verifyMigration`.
import { fileSink } from './file/file-sink.js';
import { importSink } from './import/import-sink.js';
import { usersSink } from './users/users-sink.js';

export { createFileSink, fileSink, bodyFileName, type FileSinkConfig, type FileSinkState } from './file/file-sink.js';
export { createImportSink, importSink, type ImportSinkConfig } from './import/import-sink.js';
export { createUsersSink, usersSink, type UsersSinkConfig } from './users/users-sink.js';
export { bisectRejectedBatch, type PartAnswer } from './import/bisect-rejected-batch.js';
export { AdaptiveConcurrency, type ConcurrencyOptions } from './users/adaptive-concurrency.js';
export { TokenBucket } from './users/token-bucket.js';
export { resolveAuth, type AuthConfig, type ResolvedAuth } from './auth/auth-config.js';
export { ZitadelHttp, type ZitadelTarget } from './http/zitadel-http.js';

export default [importSink, usersSink, fileSink];
export { verifyMigration, formatVerifyReport, type VerifyOptions, type VerifyReport, type UserMismatch } from './verify/verify-migration.js';
export { parseLoginArgument, readLoginsFile, type LoginCheck } from './verify/read-logins.js';
