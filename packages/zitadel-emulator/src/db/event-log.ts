// The instance's event stream: every write appends events with a global sequence, and
// `POST /admin/v1/events/_search` reads them back.
import type { EmulatorDatabase } from './open-database.js';

export interface NewEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  resourceOwner: string;
  editorUserId: string;
  payload: Record<string, unknown>;
}

export interface StoredEvent extends NewEvent {
  sequence: number;
  createdAt: string;
}

export interface EventFilter {
  eventTypes: string[];
  aggregateTypes: string[];
  aggregateId?: string;
  resourceOwner?: string;
  editorUserId?: string;
  /** With `asc`, events after this sequence; otherwise events before it. */
  sequence?: number;
  asc: boolean;
  limit: number;
}

interface EventRow {
  sequence: number;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  resource_owner: string;
  editor_user_id: string;
  created_at: string;
  payload_json: string;
}

/** Appends and searches events; `append` must run inside the caller's transaction. */
export class EventLog {
  private readonly insert;

  constructor(private readonly db: EmulatorDatabase) {
    this.insert = db.prepare(
      `INSERT INTO events (type, aggregate_type, aggregate_id, resource_owner, editor_user_id, created_at, payload_json)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Appends one event and returns its sequence. */
  append(event: NewEvent, createdAt: string): number {
    const result = this.insert.run(
      event.type,
      event.aggregateType,
      event.aggregateId,
      event.resourceOwner,
      event.editorUserId,
      createdAt,
      JSON.stringify(event.payload),
    );
    return Number(result.lastInsertRowid);
  }

  search(filter: EventFilter): StoredEvent[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.eventTypes.length > 0) {
      where.push(`type IN (${filter.eventTypes.map(() => '?').join(',')})`);
      params.push(...filter.eventTypes);
    }
    if (filter.aggregateTypes.length > 0) {
      where.push(`aggregate_type IN (${filter.aggregateTypes.map(() => '?').join(',')})`);
      params.push(...filter.aggregateTypes);
    }
    if (filter.aggregateId) {
      where.push('aggregate_id = ?');
      params.push(filter.aggregateId);
    }
    if (filter.resourceOwner) {
      where.push('resource_owner = ?');
      params.push(filter.resourceOwner);
    }
    if (filter.editorUserId) {
      where.push('editor_user_id = ?');
      params.push(filter.editorUserId);
    }
    if (filter.sequence !== undefined && filter.sequence > 0) {
      where.push(filter.asc ? 'sequence > ?' : 'sequence < ?');
      params.push(filter.sequence);
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY sequence ${filter.asc ? 'ASC' : 'DESC'} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, filter.limit) as EventRow[];
    return rows.map((row) => ({
      sequence: row.sequence,
      type: row.type,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      resourceOwner: row.resource_owner,
      editorUserId: row.editor_user_id,
      createdAt: row.created_at,
      payload: JSON.parse(row.payload_json) as Record<string, unknown>,
    }));
  }

  /** How many events of each type there are, e.g. to count the notifications ZITADEL would send. */
  countByType(types: readonly string[], skipReturnedCodes: boolean): Record<string, number> {
    const placeholders = types.map(() => '?').join(',');
    const returned = skipReturnedCodes ? "AND json_extract(payload_json, '$.code_returned') IS NULL" : '';
    const rows = this.db
      .prepare(`SELECT type, COUNT(*) AS n FROM events WHERE type IN (${placeholders}) ${returned} GROUP BY type`)
      .all(...types) as { type: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.type, row.n]));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }
}
