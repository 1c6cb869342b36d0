// The `auth0-management` source: runs Auth0's users-export job itself, keeps the downloaded file,
// and reads it with the `auth0` source's reader — same parsing, same password join, same
// rejections and order — so a pipeline needs no manual export step.
//
// When things happen:
//   fingerprint()  the job: reused from `<download>.job.json` (if Auth0 still has it, or its file
//                  is downloaded and unchanged) or created. The checkpoint is bound to the job id
//                  (its output never changes) and the password file; the download's own identity
//                  is kept in the manifest and checked on every reuse.
//   read()         waits for the job, downloads its file (once), then yields what the auth0
//                  source yields for it. Interrupted while waiting, it yields nothing: the run
//                  ends as interrupted, and the next one goes on with the same job.
import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, FatalError, type Origin, type PluginContext, type Source, type SourceItem } from '@idflow/engine';
import { Auth0Source, type Auth0UserRecord, fingerprintFiles } from '@idflow/plugin-auth0';
import { DEFAULT_EXPORT_FIELDS, type ManagementSourceConfig, pollSettings } from './config.js';
import { DownloadFailed, type DownloadedExport, downloadExport, shownLink } from './download-export.js';
import { createExportJob, type ExportJob, type ExportRequest, readExportJob, waitForExportJob } from './export-job.js';
import { describeRequest, type ExportManifest, manifestPathFor, readManifest, sameRequest, writeManifest } from './export-manifest.js';
import { ManagementClient } from './management-client.js';
import { requireSafeUrl, tenantUrl } from './tenant-url.js';

/** Tries to download one job's file, each with a freshly read link. */
const DOWNLOAD_ATTEMPTS = 3;
/** A kept download older than this is reused with a warning: it may lack recent users. */
const STALE_DOWNLOAD_MS = 24 * 3_600_000;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export class ManagementSource implements Source<Auth0UserRecord> {
  private readonly tenant: URL;
  private readonly downloadPath: string;
  private readonly manifestPath: string;
  private readonly passwordsPath: string | undefined;
  private readonly request: ExportRequest;
  private readonly stopped = new AbortController();
  private readonly signal: AbortSignal;
  private client: ManagementClient | undefined;
  private jobReady: Promise<ExportManifest> | undefined;
  private readerReady: Promise<Auth0Source> | undefined;
  private reader: Auth0Source | undefined;

  constructor(
    private readonly config: ManagementSourceConfig,
    private readonly ctx: PluginContext,
  ) {
    this.tenant = tenantUrl(config.domain);
    this.downloadPath = resolve(ctx.baseDir, config.download);
    this.manifestPath = manifestPathFor(this.downloadPath);
    this.passwordsPath = config.passwords ? resolve(ctx.baseDir, config.passwords) : undefined;
    // An empty connectionId (`${AUTH0_CONNECTION_ID:-}` left unset) means every connection.
    this.request = { connectionId: config.connectionId || undefined, fields: [...(config.fields ?? DEFAULT_EXPORT_FIELDS)], limit: config.limit };
    this.signal = AbortSignal.any([ctx.signal, this.stopped.signal]);
  }

  async fingerprint(): Promise<string> {
    const manifest = await this.exportJob();
    const passwords = this.passwordsPath ? await fingerprintFiles([this.passwordsPath]) : 'no password export';
    const identity = ['auth0-management', manifest.tenant, manifest.job.id, passwords].join('\u0000');
    return `sha256:${createHash('sha256').update(identity).digest('hex')}`;
  }

  async *read(options: { resumeAfter?: Origin }): AsyncGenerator<SourceItem<Auth0UserRecord>> {
    let reader: Auth0Source;
    try {
      reader = await this.downloaded();
    } catch (error) {
      // Ctrl-C while waiting for Auth0: nothing read, so the run ends as interrupted.
      if (this.ctx.signal.aborted) return;
      throw error;
    }
    yield* reader.read(options);
  }

  progress(): { done: number; total: number } | undefined {
    return this.reader?.progress();
  }

  async close(): Promise<void> {
    this.stopped.abort();
    await this.reader?.close();
    await this.client?.close();
    await rm(`${this.downloadPath}.partial`, { force: true });
  }

  private get api(): ManagementClient {
    this.client ??= new ManagementClient(
      { tenant: this.tenant, audience: this.config.audience ?? `${this.tenant.origin}/api/v2/`, clientId: this.config.clientId, clientSecret: this.config.clientSecret },
      { signal: this.signal, log: (message, fields) => this.ctx.log('info', message, fields), count: (metric) => this.ctx.count(metric) },
    );
    return this.client;
  }

  /** The job whose file this run reads (see the header comment). */
  private exportJob(): Promise<ExportManifest> {
    this.jobReady ??= this.findOrCreateJob();
    return this.jobReady;
  }

  private async findOrCreateJob(): Promise<ExportManifest> {
    const { config, ctx } = this;
    const manifest = await readManifest(this.manifestPath);
    const downloadExists = await exists(this.downloadPath);
    if (manifest) {
      if (manifest.tenant !== this.tenant.origin || !sameRequest(manifest.request, this.request)) {
        throw new ConfigError([
          {
            path: 'source.with.download',
            message: `${config.download} belongs to export job ${manifest.job.id} of ${manifest.tenant} (${describeRequest(manifest.request)}), not to this pipeline's export (${this.tenant.origin}, ${describeRequest(this.request)}): delete it and ${basename(this.manifestPath)} to export again, or point download elsewhere`,
          },
        ]);
      }
      if (manifest.download) {
        if (downloadExists && (await fingerprintFiles([this.downloadPath])) === manifest.download.fingerprint) {
          this.noteReuse(manifest, manifest.download);
          return manifest;
        }
        ctx.warn(`${config.download} ${downloadExists ? 'changed' : 'is missing'} since it was downloaded from export job ${manifest.job.id}: downloading that job's file again`, undefined, 'export downloaded again');
        manifest.download = undefined;
        await writeManifest(this.manifestPath, manifest);
      }
      const job = await readExportJob(this.api, manifest.job.id);
      if (job && job.status !== 'failed') {
        ctx.log('info', `going on with Auth0 export job ${job.id} (${job.status})`, { job: job.id });
        return manifest;
      }
      ctx.warn(`Auth0 export job ${manifest.job.id} ${job ? 'failed' : 'no longer exists'}: starting a new export job`, undefined, 'export job started again');
    } else if (downloadExists) {
      throw new ConfigError([
        {
          path: 'source.with.download',
          message: `${config.download} exists but was not downloaded by this source (there is no ${basename(this.manifestPath)} beside it): delete it or point download elsewhere`,
        },
      ]);
    }
    await mkdir(dirname(this.downloadPath), { recursive: true });
    const job = await createExportJob(this.api, this.request);
    ctx.count('export.jobs-created');
    ctx.log('info', `Auth0 export job ${job.id} created (${describeRequest(this.request)})`, { job: job.id });
    const created: ExportManifest = { version: 1, tenant: this.tenant.origin, request: this.request, job: { id: job.id, createdAt: new Date().toISOString(), connection: job.connection } };
    await writeManifest(this.manifestPath, created);
    return created;
  }

  private noteReuse(manifest: ExportManifest, download: NonNullable<ExportManifest['download']>): void {
    this.ctx.count('export.reused');
    const age = Date.now() - Date.parse(download.at);
    const what = `the export of Auth0 job ${manifest.job.id} downloaded ${download.at} (${download.users} users)`;
    if (age > STALE_DOWNLOAD_MS) {
      this.ctx.warn(`reusing ${what}, ${Math.floor(age / 3_600_000)} h old: users changed in Auth0 since are not in it; delete ${this.config.download} and ${basename(this.manifestPath)} to export anew`, undefined, 'old export reused');
    } else this.ctx.log('info', `reusing ${what}`, { job: manifest.job.id });
  }

  /** The reader over the downloaded file, downloading it first if needed. */
  private downloaded(): Promise<Auth0Source> {
    this.readerReady ??= this.download();
    return this.readerReady;
  }

  private async download(): Promise<Auth0Source> {
    const manifest = await this.exportJob();
    if (!manifest.download) {
      const started = Date.now();
      const job = await waitForExportJob(this.api, manifest.job.id, pollSettings(this.config), {
        signal: this.signal,
        log: (message, fields) => this.ctx.log('info', message, fields),
      });
      const file = await this.fetchFile(job);
      await rename(`${this.downloadPath}.partial`, this.downloadPath);
      manifest.download = { at: new Date().toISOString(), bytes: file.bytes, users: file.users, fingerprint: await fingerprintFiles([this.downloadPath]) };
      await writeManifest(this.manifestPath, manifest);
      this.ctx.count('export.users', file.users);
      this.ctx.log('info', `Auth0 export job ${job.id}: ${file.users} users downloaded (${file.bytes} bytes) to ${this.config.download}`, {
        job: job.id,
        users: file.users,
        bytes: file.bytes,
        ms: Date.now() - started,
      });
    }
    const { config } = this;
    const connections = config.connections ?? (manifest.job.connection ? [manifest.job.connection] : undefined);
    this.reader = new Auth0Source(
      {
        profiles: config.download,
        passwords: config.passwords,
        format: 'ndjson',
        joinBy: config.joinBy,
        connections,
        spillThreshold: config.spillThreshold,
        encoding: config.encoding,
        passwordsEncoding: config.passwordsEncoding,
        passwordCheck: config.passwordCheck,
      },
      this.ctx,
    );
    return this.reader;
  }

  /** Downloads the completed job's file into `<download>.partial`, reading the job again for a fresh link after a failure. */
  private async fetchFile(completed: ExportJob): Promise<DownloadedExport> {
    const partial = `${this.downloadPath}.partial`;
    let job = completed;
    let last: { link: string; failure: DownloadFailed } | undefined;
    for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
      if (!job.location) throw new FatalError(`Auth0 export job ${job.id} completed without a download location`, 'EXPORT_FAILED');
      let link: URL;
      try {
        link = requireSafeUrl(new URL(job.location, this.tenant), 'the export download link');
      } catch (error) {
        throw new FatalError(`Auth0 export job ${job.id}: ${(error as Error).message}`, 'EXPORT_FAILED');
      }
      try {
        return await downloadExport(this.api.agent, link, partial, this.signal);
      } catch (error) {
        await rm(partial, { force: true });
        if (!(error instanceof DownloadFailed)) throw error;
        last = { link: shownLink(link), failure: error };
        this.ctx.count('export.download-retries');
        this.ctx.log('info', `download of ${last.link} failed (${error.message})${attempt < DOWNLOAD_ATTEMPTS ? ': reading the job again for a fresh link' : ''}`);
      }
      if (attempt === DOWNLOAD_ATTEMPTS) break;
      const fresh = await readExportJob(this.api, job.id);
      if (fresh?.status !== 'completed') {
        throw new FatalError(`Auth0 export job ${job.id} ${fresh ? `is ${fresh.status}` : 'no longer exists'} while its file was being downloaded; run again to start a new export job`, 'EXPORT_EXPIRED');
      }
      job = fresh;
    }
    const hint = last?.failure.linkRefused
      ? ': the link expired or was refused. Auth0 download links are valid for 60 s after the job is read; check this machine’s clock and what delays the download (proxy, network)'
      : '';
    throw new FatalError(
      `could not download the export of Auth0 job ${job.id} from ${last?.link} in ${DOWNLOAD_ATTEMPTS} tries; last: ${last?.failure.message}${hint}`,
      'EXPORT_DOWNLOAD_FAILED',
    );
  }
}
