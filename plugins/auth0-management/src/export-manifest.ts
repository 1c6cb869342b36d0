// `<download>.job.json`: which Auth0 export job the kept download belongs to, what it asked for,
// and the identity of the file once downloaded. A re-run reads it to reuse the job (not yet
// downloaded) or the file (downloaded, unchanged), so a resumed run reads the very same users.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { FatalError } from '@idflow/engine';
import type { ExportRequest } from './export-job.js';

export interface ExportManifest {
  version: 1;
  /** The tenant's origin, e.g. https://acme.eu.auth0.com. */
  tenant: string;
  request: ExportRequest;
  job: { id: string; createdAt: string; connection?: string };
  /** Set once the file is downloaded whole. */
  download?: { at: string; bytes: number; users: number; fingerprint: string };
}

/** Where the manifest of `downloadPath` lives. */
export function manifestPathFor(downloadPath: string): string {
  return `${downloadPath}.job.json`;
}

/** The manifest, or undefined when there is none. */
export async function readManifest(path: string): Promise<ExportManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch {
    throw new FatalError(`${path} is not valid JSON: delete it and the download beside it to export again`, 'EXPORT_MANIFEST_INVALID');
  }
  if (manifest?.version !== 1 || typeof manifest.job?.id !== 'string' || typeof manifest.tenant !== 'string' || !Array.isArray(manifest.request?.fields)) {
    throw new FatalError(`${path} is not an export manifest of this idflow version: delete it and the download beside it to export again`, 'EXPORT_MANIFEST_INVALID');
  }
  return manifest;
}

/** Writes the manifest atomically (mode 0600). */
export async function writeManifest(path: string, manifest: ExportManifest): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** True when both ask Auth0 for the same users and fields. */
export function sameRequest(a: ExportRequest, b: ExportRequest): boolean {
  return (a.connectionId ?? null) === (b.connectionId ?? null) && (a.limit ?? null) === (b.limit ?? null) && a.fields.join('\n') === b.fields.join('\n');
}

/** `connection con_…, limit 10, fields user_id, email` */
export function describeRequest(request: ExportRequest): string {
  return [
    request.connectionId ? `connection ${request.connectionId}` : 'all connections',
    ...(request.limit !== undefined ? [`limit ${request.limit}`] : []),
    `fields ${request.fields.join(', ')}`,
  ].join(', ');
}
