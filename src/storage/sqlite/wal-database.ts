/**
 * Opens a SQLite file the way every embedded store here does: its folder created, WAL journal (readers never
 * block the one writer), synchronous=NORMAL (durable across process crashes; in WAL mode only an OS crash
 * can lose the last transactions), a 5 s busy timeout for the other processes and the checkpoint worker
 * (wal-checkpointer.ts), then the store's schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** How long a statement waits for another connection's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export function openWalDatabase(file: string, schemaSql?: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (schemaSql) db.exec(schemaSql);
  return db;
}
