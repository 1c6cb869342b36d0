// What ZITADEL should hold after a run: the pipeline's source read again through the same
// transforms, minus every record the run dead-lettered.
import { ConfigError, type LoadedPipeline, type Plugin, type PluginContext, type PluginKind, type Transform } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

/** The plugins verify may open: the CLI's registry fits. */
export interface PluginList {
  list(): readonly Plugin[];
}

/** One user verify expects in the target. */
export interface ExpectedUser {
  userId: string;
  userName: string;
  email: string;
  /** `file:line` of the source record. */
  origin: string;
  /** True when a password hash was migrated: such a user must be able to log in with it. */
  hasHash: boolean;
  /** The state the run set: locked or inactive for a user blocked in Auth0. */
  state: ZitadelUserRecord['state'];
}

function findPlugin<K extends PluginKind>(catalog: PluginList, name: string, kind: K): Extract<Plugin, { kind: K }> {
  const plugin = catalog.list().find((p) => p.name === name && p.kind === kind);
  if (!plugin) throw new ConfigError([{ path: kind, message: `unknown ${kind} plugin "${name}"` }]);
  return plugin as Extract<Plugin, { kind: K }>;
}

/** A context that writes nothing: verify only reads. */
function quietContext(baseDir: string, signal: AbortSignal): PluginContext {
  return { baseDir, dryRun: true, signal, count() {}, warn() {}, log() {} };
}

/** Streams the users the run should have delivered, skipping `deadLettered` origins and transform rejects. */
export async function* readExpectedUsers(
  pipeline: LoadedPipeline,
  catalog: PluginList,
  deadLettered: Set<string>,
  signal: AbortSignal,
): AsyncGenerator<ExpectedUser> {
  const ctx = quietContext(pipeline.baseDir, signal);
  const sourceStage = pipeline.config.source;
  const source = await findPlugin(catalog, sourceStage.use, 'source').create((sourceStage.with ?? {}) as never, ctx);
  const transforms: Transform[] = [];
  try {
    for (const stage of pipeline.config.transforms ?? []) {
      transforms.push(await findPlugin(catalog, stage.use, 'transform').create((stage.with ?? {}) as never, ctx));
    }
    let seq = 0;
    for await (const item of source.read({})) {
      if (signal.aborted) return;
      seq += 1;
      const origin = `${item.origin.file}:${item.origin.line}`;
      if (item.reject || deadLettered.has(origin)) continue;
      let data: unknown = item.data;
      let refused = false;
      for (const transform of transforms) {
        const result = await transform.apply({ seq, origin: item.origin, data });
        if (!result.ok) {
          refused = true;
          break;
        }
        data = result.value;
      }
      if (refused) continue;
      const record = data as ZitadelUserRecord;
      yield {
        userId: record.userId,
        userName: record.user.userName,
        email: record.user.email.email,
        origin,
        hasHash: Boolean(record.user.hashedPassword?.value),
        state: record.state,
      };
    }
  } finally {
    for (const transform of transforms) await transform.close?.();
    await source.close();
  }
}
