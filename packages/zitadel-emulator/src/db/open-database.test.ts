// A database file written before user_metadata had its dates still opens and keeps its entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openEmulatorDatabase } from './open-database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('adds the metadata date columns to an older file and keeps its entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-db-'));
  dirs.push(dir);
  const path = join(dir, 'old.sqlite');
  const old = new Database(path);
  old.exec('CREATE TABLE user_metadata (user_id TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (user_id, key))');
  old.prepare('INSERT INTO user_metadata (user_id, key, value) VALUES (?, ?, ?)').run('u1', 'plan', Buffer.from('pro'));
  old.close();
  const db = openEmulatorDatabase(path);
  const columns = (db.pragma('table_info(user_metadata)') as { name: string }[]).map((column) => column.name);
  expect(columns).toEqual(['user_id', 'key', 'value', 'created_at', 'changed_at']);
  expect(db.prepare('SELECT key, value, created_at FROM user_metadata').get()).toEqual({ key: 'plan', value: Buffer.from('pro'), created_at: '' });
  db.close();
  // Opening it again changes nothing.
  openEmulatorDatabase(path).close();
});
