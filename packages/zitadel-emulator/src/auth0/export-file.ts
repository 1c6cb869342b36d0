// Writes what an export job produces: the tenant's users (of one connection, or all), projected
// to the requested fields, one JSON object per line, gzip-compressed — "Auth0's export files use
// the NDJSON format" and the download is a `.json.gz` named after the tenant
// (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports).
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { profileConnections } from './connections.js';
import { type ExportField, projectUser } from './export-fields.js';
import { type StandInTenant, tenantUsers } from './tenant-users.js';

export interface ExportRequest {
  /** Name of the connection whose users are exported; all users when undefined. */
  connection?: string;
  fields?: ExportField[];
  limit?: number;
}

/** Writes the export of `request` to `path`; resolves with the number of users written. */
export async function writeExportFile(tenant: StandInTenant, request: ExportRequest, path: string): Promise<number> {
  let written = 0;
  // Lines go to gzip in pieces of ~64 KiB: one write per user would cost more than the JSON.
  async function* pieces(): AsyncGenerator<string> {
    let piece = '';
    for await (const user of tenantUsers(tenant)) {
      if (request.limit !== undefined && written >= request.limit) break;
      if (request.connection !== undefined && !profileConnections(user).includes(request.connection)) continue;
      written++;
      piece += `${JSON.stringify(projectUser(user, request.fields))}\n`;
      if (piece.length >= 65_536) {
        yield piece;
        piece = '';
      }
    }
    if (piece !== '') yield piece;
  }
  await pipeline(Readable.from(pieces()), createGzip(), createWriteStream(path, { mode: 0o600 }));
  return written;
}
