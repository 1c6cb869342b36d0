// The per-user file of `idflow diff`: one JSON line per user — `create`, `update` (with the parts
// and their from/to values), `unchanged` or `missing`. Mode 0600 (it names users and addresses);
// hashes never reach it (user-changes.ts describes a password only as unknown / set / changed).
import { closeSync, openSync, writeSync } from 'node:fs';

export interface DiffLine {
  id: string;
  userName?: string;
  action: 'create' | 'update' | 'unchanged' | 'missing';
  changes?: { [part: string]: { from: unknown; to: unknown } | undefined };
  state?: string;
}

export class DiffWriter {
  private readonly fd: number;
  private pending: string[] = [];

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  line(entry: DiffLine): void {
    this.pending.push(JSON.stringify(entry));
    if (this.pending.length >= 256) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
