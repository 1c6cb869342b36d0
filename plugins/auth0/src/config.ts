// The `with:` block of the `auth0` source: its JSON Schema (docs are generated from it) and type.

import type { JsonSchema } from '@idflow/engine';
import { defaultPasswordCheck, type PasswordCheckConfig } from './password-check.js';
import { type TextEncodingOption, textEncodings } from './text-decoding.js';

export interface Auth0SourceConfig {
  profiles: string;
  passwords?: string;
  format?: 'auto' | 'ndjson' | 'concatenated-json' | 'json-array' | 'csv';
  fields?: { [canonical: string]: string };
  joinBy?: 'id' | 'email';
  connections?: string[];
  spillThreshold?: number;
  encoding?: TextEncodingOption;
  passwordsEncoding?: TextEncodingOption;
  passwordCheck?: PasswordCheckConfig;
}

export const defaultSpillThreshold = 250_000;

const encodingDescription =
  '"auto" (default): a byte-order mark decides (UTF-8, UTF-16 LE/BE), else UTF-8, checked strictly: a record with bytes that are not UTF-8 is rejected with its line and byte offset, never decoded to U+FFFD. Name the encoding of a file that is not UTF-8: "latin1" (ISO-8859-1), "windows-1252" (what Excel saves), "utf-16le", "utf-16be".';

/** `encoding` and `passwordsEncoding` (shared with the auth0-management source, which reads through this one). */
export const encodingSchemas: { encoding: JsonSchema; passwordsEncoding: JsonSchema } = {
  encoding: { type: 'string', enum: [...textEncodings], default: 'auto', description: `Text encoding of the profile file. ${encodingDescription}` },
  passwordsEncoding: { type: 'string', enum: [...textEncodings], default: 'auto', description: `Text encoding of the password file. ${encodingDescription}` },
};

/** `passwordCheck` (shared with the auth0-management source). */
export const passwordCheckSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Before anything is written, the password file must deliver what it promises: of the first sampleSize database users (auth0|… profiles of the connections read) that a record of the file could cover (its connections; no more users than it has records), at least minShare must get a hash. Otherwise the run stops with exit 1, naming the file and its first unparseable record (an encrypted, empty or wrong file would import every user without a password for good).',
  properties: {
    minShare: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: defaultPasswordCheck.minShare,
      description: 'Least share of the promised hashes that must join, 0–1 (0 turns the check off).',
    },
    sampleSize: {
      type: 'integer',
      minimum: 1,
      default: defaultPasswordCheck.sampleSize,
      description: 'Database users, in profile-file order, the share is measured on.',
    },
  },
};

export const auth0SourceSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['profiles'],
  properties: {
    profiles: {
      type: 'string',
      'x-idflow': 'input-path',
      description:
        'Profile export: the Management API bulk export (NDJSON or CSV), a JSON array or concatenated (pretty-printed) JSON objects, optionally gzip-compressed (detected by magic bytes). Relative to the pipeline file.',
    },
    passwords: {
      type: 'string',
      'x-idflow': 'input-path',
      description:
        'Password-hash export from Auth0 support (NDJSON or concatenated JSON, MongoDB extended JSON; id under _id, _ID or oid), optionally gzip-compressed. Without it every user has passwordStatus "missing" or its cause. Checked before anything is written (see passwordCheck).',
    },
    format: {
      type: 'string',
      enum: ['auto', 'ndjson', 'concatenated-json', 'json-array', 'csv'],
      default: 'auto',
      description:
        'Container of the profile file; "auto" sniffs the content: "[" JSON array; "{" NDJSON, or concatenated JSON when the first object spans several lines (or shares its line with the next); anything else CSV.',
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
    ...encodingSchemas,
    passwordCheck: passwordCheckSchema,
  },
};
