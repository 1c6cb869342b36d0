// The `zitadel-validate` transform: the last stop before a ZITADEL sink. A record that breaks any
// field rule, or reuses a userName already taken in this run, goes to the dead-letter output with
// the exact rule; every other record passes through unchanged.

import { definePlugin, type JsonSchema, type PluginContext, type Transform, type TransformResult } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { checkZitadelUserRecord, formatFieldProblem, type TargetApi } from './field-rules.js';
import { DEFAULT_SPILL_THRESHOLD, MAX_SPILL_THRESHOLD, UserNameRegistry } from './user-name-registry.js';

export interface ZitadelValidateConfig {
  /** Which API's rules to apply; `any` (default) applies the strictest of both. */
  api?: TargetApi;
  /** Reject a second user whose userName matches an earlier one, case-insensitively (default true). */
  uniqueUserNames?: boolean;
  /** userNames kept in memory before they move to a temporary on-disk store (default 10,000). */
  spillThreshold?: number;
}

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Checks every ZITADEL ImportHumanUserRequest field rule before a record reaches a sink.',
  properties: {
    api: {
      type: 'string',
      enum: ['import', 'v2', 'any'],
      default: 'any',
      description:
        'The ZITADEL API the sink uses: `import` (Admin bulk import), `v2` (User Service v2, also limits hashedPassword.value to 200 runes) or `any` (both rule sets).',
    },
    uniqueUserNames: {
      type: 'boolean',
      default: true,
      description:
        'Reject a user whose userName (case-insensitive) was already used by an earlier user of this run, with `userName already used by <userId>`.',
    },
    spillThreshold: {
      type: 'integer',
      minimum: 1,
      'x-idflow': 'tuning',
      maximum: MAX_SPILL_THRESHOLD,
      default: DEFAULT_SPILL_THRESHOLD,
      description:
        'How many userNames (with their owners\' ids, ~70 bytes each) `uniqueUserNames` keeps in memory before writing them to a temporary file under the system temp directory (removed at the end of the run). Beyond it each further name costs 11–16 bytes of memory (a hash-table slot; ~17 MB at 1M users), and only a probable duplicate is read back from the file.',
    },
  },
};

/** The `zitadel-validate` transform plugin. */
export const zitadelValidatePlugin = definePlugin({
  name: 'zitadel-validate',
  kind: 'transform' as const,
  description: 'Rejects users that break a ZITADEL field rule or reuse a userName, before any sink.',
  schema,
  create(config: ZitadelValidateConfig, ctx: PluginContext): Transform<unknown, ZitadelUserRecord> {
    const api = config.api ?? 'any';
    const userNames =
      config.uniqueUserNames === false
        ? undefined
        : new UserNameRegistry({
            spillThreshold: config.spillThreshold,
            onSpill: (directory) => ctx.log('info', 'userNames moved to a temporary file', { directory }),
            tempRoot: ctx.tempDir,
          });
    return {
      apply(record): TransformResult<ZitadelUserRecord> {
        const problems = checkZitadelUserRecord(record.data, api);
        if (problems.length > 0) {
          for (const problem of problems) ctx.count(`invalid ${problem.field.replace(/\[\d+\]/g, '[]')}`);
          return {
            ok: false,
            rejection: { reason: problems.map(formatFieldProblem).join('; '), detail: { problems } },
          };
        }
        // The checks above guarantee the shape from here on.
        const user = record.data as ZitadelUserRecord;
        const owner = userNames?.claim(user.user.userName, user.userId);
        if (owner !== undefined) {
          ctx.count('duplicate userName');
          return {
            ok: false,
            rejection: { reason: `userName already used by ${owner}`, detail: { userName: user.user.userName } },
          };
        }
        ctx.count('valid');
        return { ok: true, value: user };
      },
      async close(): Promise<void> {
        userNames?.close();
      },
    };
  },
});
