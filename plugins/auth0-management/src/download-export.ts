// Downloads a completed job's file from its `location` — a link valid for 60 seconds that needs no
// token (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports) — into a `.partial`
// file (mode 0600: it holds personal data). The bytes are gunzipped on the way to prove the file
// whole (a cut download fails its gzip trailer or its Content-Length) and to count its users; the
// caller renames it into place only then. The link's query is a credential and is never shown.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Agent } from 'undici';
import { networkFailure } from './management-client.js';

/** A download that did not give a whole file; `linkRefused`: the link itself was refused (expired…). */
export class DownloadFailed extends Error {
  constructor(
    message: string,
    readonly linkRefused: boolean,
  ) {
    super(message);
  }
}

export interface DownloadedExport {
  bytes: number;
  /** Lines holding a record (the NDJSON's users). */
  users: number;
}

/** The link as it may be shown: origin and path, never the signed query. */
export function shownLink(location: URL): string {
  return `${location.origin}${location.pathname}`;
}

/** `<Code>` and `<Message>` of a storage error answer (its other elements may echo the signature). */
function storageError(text: string): string {
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]{1,200})<\/Message>/.exec(text)?.[1];
  return [code, message].filter(Boolean).join(': ');
}

/** Counts users in the decompressed text: lines with something on them. */
class LineCounter {
  users = 0;
  private lineHasText = false;
  add(chunk: Buffer): void {
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (this.lineHasText) this.users++;
        this.lineHasText = false;
      } else if (byte !== 0x0d && byte !== 0x20) this.lineHasText = true;
    }
  }
  end(): number {
    if (this.lineHasText) this.users++;
    this.lineHasText = false;
    return this.users;
  }
}

/** Downloads `location` into `partialPath`, checked whole; throws DownloadFailed otherwise. */
export async function downloadExport(agent: Agent, location: URL, partialPath: string, signal: AbortSignal): Promise<DownloadedExport> {
  let response: Awaited<ReturnType<Agent['request']>>;
  try {
    response = await agent.request({ origin: location.origin, path: `${location.pathname}${location.search}`, method: 'GET', signal, headersTimeout: 60_000, bodyTimeout: 120_000 });
  } catch (error) {
    signal.throwIfAborted();
    throw new DownloadFailed(networkFailure(error), false);
  }
  if (response.statusCode !== 200) {
    const text = await response.body.text().catch(() => '');
    const detail = storageError(text);
    throw new DownloadFailed(`HTTP ${response.statusCode}${detail ? ` ${detail}` : ''}`, true);
  }
  const announced = Number(response.headers['content-length'] ?? Number.NaN);
  const counter = new LineCounter();
  let bytes = 0;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  let gunzipError: Error | undefined;
  let first = true;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first) {
        first = false;
        if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
          gunzip = createGunzip();
          gunzip.on('data', (text: Buffer) => counter.add(text));
          gunzip.on('error', (error) => (gunzipError = error));
        }
      }
      bytes += chunk.length;
      if (!gunzip) {
        counter.add(chunk);
        return done(null, chunk);
      }
      if (gunzipError) return done(gunzipError);
      if (gunzip.write(chunk)) return done(null, chunk);
      const inflater = gunzip;
      const onDrain = () => {
        inflater.off('error', onError);
        done(null, chunk);
      };
      const onError = (error: Error) => {
        inflater.off('drain', onDrain);
        done(error);
      };
      inflater.once('drain', onDrain);
      inflater.once('error', onError);
    },
  });
  try {
    await pipeline(response.body, check, createWriteStream(partialPath, { mode: 0o600 }), { signal });
    if (gunzip) {
      if (gunzipError) throw gunzipError;
      const ended = once(gunzip, 'end');
      gunzip.end();
      await ended;
    }
  } catch (error) {
    signal.throwIfAborted();
    const reason = (error as { code?: string }).code === 'Z_BUF_ERROR' ? 'the gzip data ends early' : (error as Error).message;
    throw new DownloadFailed(`the download broke off after ${bytes} bytes (${reason || networkFailure(error)})`, false);
  }
  if (Number.isFinite(announced) && announced !== bytes) throw new DownloadFailed(`the download has ${bytes} of ${announced} bytes`, false);
  // On disk before it is renamed into place and named in the manifest.
  const handle = await open(partialPath, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, users: counter.end() };
}
