// The `with:` block of the `auth0` source: its JSON Schema (docs are generated from it) and type.

import type { JsonSchema } from '@idflow/engine';

export interface Auth0SourceConfig {
  profiles: string;
  passwords?: string;
  format?: 'auto' | 'ndjson' | 'json-array' | 'csv';
  fields?: { [canonical: string]: string };
  joinBy?: 'id' | 'email';
  connections?: string[];
  spillThreshold?: number;
}

export const defaultSpillThreshold = 250_000;

export const auth0SourceSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['profiles'],
  properties: {
    profiles: {
      type: 'string',
      'x-idflow': 'input-path',
      description:
        'Profile export: the Management API bulk export (NDJSON or CSV) or a JSON array, optionally gzip-compressed (detected by magic bytes). Relative to the pipeline file.',
    },
    passwords: {
      type: 'string',
      'x-idflow': 'input-path',
      description: 'Password-hash export from Auth0 support (NDJSON, MongoDB extended JSON), optionally gzip-compressed. Without it every user has passwordStatus "missing" or its cause.',
    },
    format: {
      type: 'string',
      enum: ['auto', 'ndjson', 'json-array', 'csv'],
      default: 'auto',
      description: 'Container of the profile file; "auto" sniffs the first non-whitespace byte: "[" JSON array, "{" NDJSON, anything else CSV.',
    },
    fields: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Canonical key → name used in the export, for keys or CSV columns renamed with export_as, e.g. {"email": "mail", "user_id": "id"}.',
    },
    joinBy: {
      type: 'string',
      enum: ['id', 'email'],
      default: 'id',
      description:
        'How passwords are matched to profiles: "id" (auth0|alt_id or auth0|_id.$oid = user_id, exact); "email" adds a fallback for profiles without an id match: case-insensitive, within the same connection, ambiguous matches reported and never guessed.',
    },
    connections: {
      type: 'array',
      items: { type: 'string' },
      description: 'Only users of these connections are read; the others are counted as "filtered".',
    },
    spillThreshold: {
      type: 'integer',
      minimum: 1,
      'x-idflow': 'tuning',
      default: defaultSpillThreshold,
      description:
        'Above this many passwords (or profile ids without a password), counted or estimated from the file size before reading, the join index lives in an embedded SQLite file in a temp directory (worked by a thread of its own, removed at the end) so memory stays bounded.',
    },
  },
};
