// The `hash-validator` transform: every user's password hash leaves it importable by the target
// ZITADEL (as is or converted), or the user is rejected / imported without a password by policy,
// with the exact reason. The hash itself never appears in a reason, count or warning.
import { definePlugin, metricNames, type PluginContext, type RecordEnvelope, type Transform, type TransformResult } from '@idflow/engine';
import { verifyParsedHash } from '@idflow/password-hashes';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { type HashPolicy, type HashValidatorConfig, hashValidatorSchema, resolveHashValidatorConfig } from './config.js';
import { type HashJudgement, judgeHash } from './judge-hash.js';
import { TestAccounts } from './test-accounts.js';

type Result = TransformResult<ZitadelUserRecord>;
type Accepted = Extract<HashJudgement, { verdict: 'accept' }>;

function withHash(record: ZitadelUserRecord, value: string): ZitadelUserRecord {
  return { ...record, user: { ...record.user, hashedPassword: { value } } };
}

function withoutHash(record: ZitadelUserRecord): ZitadelUserRecord {
  const { hashedPassword: _dropped, ...user } = record.user;
  return { ...record, user };
}

function isUserRecord(data: unknown): data is ZitadelUserRecord {
  const user = (data as { user?: unknown } | null)?.user;
  return typeof user === 'object' && user !== null;
}

/** Opens one validator for a run. */
export function createHashValidator(config: HashValidatorConfig, ctx: PluginContext): Transform<ZitadelUserRecord, ZitadelUserRecord> {
  const resolved = resolveHashValidatorConfig(config);
  const accounts = new TestAccounts(resolved.verify);
  ctx.log('info', 'hash-validator ready', {
    allow: [...resolved.allow],
    onInvalid: resolved.onInvalid,
    onUnsupported: resolved.onUnsupported,
    verifyAccounts: resolved.verify.size,
  });

  const refuse = (record: RecordEnvelope<ZitadelUserRecord>, reason: string, policy: HashPolicy, detail: { [key: string]: unknown }): Result => {
    if (policy === 'reject') {
      ctx.count(`rejected: ${reason}`);
      return { ok: false, rejection: { reason, detail: { userId: record.data.userId, ...detail } } };
    }
    ctx.count(`password dropped: ${reason}`);
    return { ok: true, value: { ...withoutHash(record.data), passwordResetRequired: true, withoutPassword: 'hash-refused' } };
  };

  const failVerification = (record: RecordEnvelope<ZitadelUserRecord>, email: string, why: string): Result => {
    ctx.count('verification failed');
    ctx.warn(`verification failed for ${email}: ${why}`, record.origin, 'test login failed');
    return { ok: false, rejection: { reason: `verification failed for ${email}`, detail: { userId: record.data.userId } } };
  };

  const algorithmMetric = metricNames('algorithm.');

  const accept = (record: RecordEnvelope<ZitadelUserRecord>, { parsed, conversion }: Accepted): Result => {
    ctx.count(algorithmMetric(parsed.algorithm));
    if (!conversion) return { ok: true, value: record.data };
    ctx.count(`converted.${conversion.from}→${conversion.to}`);
    return { ok: true, value: withHash(record.data, conversion.encoded) };
  };

  const verifyThenAccept = async (
    record: RecordEnvelope<ZitadelUserRecord>,
    judgement: Accepted,
    testAccount: { email: string; password: string },
  ): Promise<Result> => {
    if (!(await verifyParsedHash(judgement.parsed, testAccount.password))) {
      return failVerification(record, testAccount.email, `its ${judgement.parsed.algorithm} hash does not match the given password`);
    }
    ctx.count('verified');
    return accept(record, judgement);
  };

  return {
    // Synchronous unless a test account's password must be verified (the only async work): the
    // runner then spends no promise on the other records.
    apply(record: RecordEnvelope<ZitadelUserRecord>): Result | Promise<Result> {
      if (!isUserRecord(record.data)) {
        return { ok: false, rejection: { reason: 'hash-validator expects a ZITADEL user record (no `user` object)' } };
      }
      const testAccount = accounts.take(record.data.user.email?.email);
      const value: unknown = record.data.user.hashedPassword?.value;

      if (value === undefined || value === null || value === '') {
        ctx.count('without password');
        const data = record.data.user.hashedPassword ? withoutHash(record.data) : record.data;
        if (testAccount) return failVerification({ ...record, data }, testAccount.email, 'the user has no password');
        return { ok: true, value: data };
      }
      if (typeof value !== 'string') {
        return refuse(record, 'hashedPassword.value is not a string', resolved.onInvalid, { kind: 'invalid' });
      }

      const judgement = judgeHash(value, resolved.allow);
      if (judgement.verdict === 'refuse') {
        if (testAccount) ctx.warn(`verification skipped for ${testAccount.email}: ${judgement.reason}`, record.origin);
        const policy = judgement.kind === 'invalid' ? resolved.onInvalid : resolved.onUnsupported;
        return refuse(record, judgement.reason, policy, { kind: judgement.kind, algorithm: judgement.algorithm });
      }

      if (testAccount) return verifyThenAccept(record, judgement, testAccount);
      return accept(record, judgement);
    },

    async close(): Promise<void> {
      for (const email of accounts.unseen()) ctx.warn(`verify account ${email} was never seen in the input`, undefined, 'test account not in the input');
    },
  };
}

/** The `hash-validator` transform plugin. */
export const hashValidatorPlugin = definePlugin({
  name: 'hash-validator',
  kind: 'transform' as const,
  description: 'Checks, converts and optionally verifies password hashes against the formats and cost bounds ZITADEL accepts.',
  schema: hashValidatorSchema,
  create(config: HashValidatorConfig, ctx: PluginContext): Transform<ZitadelUserRecord, ZitadelUserRecord> {
    return createHashValidator(config ?? {}, ctx);
  },
});
