/**
 * Opens the embedded registry database: WAL (readers never block the single writer), synchronous=NORMAL
 * (durable across process crashes; in WAL mode only an OS crash can lose the last transactions),
 * foreign keys on (side tables cascade when ITI-62 deletes an object).
 */
import type Database from 'better-sqlite3';
import { ADDED_COLUMNS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { openWalDatabase } from './wal-database.js';

export type SqliteDatabase = Database.Database;

export function openSqliteDatabase(file: string): SqliteDatabase {
  const db = openWalDatabase(file);
  db.pragma('foreign_keys = ON');
  // A bigger page cache and memory-mapped reads keep the stored-query paths in memory. The map covers up to
  // 2 GB (better-sqlite3's SQLITE_MAX_MMAP_SIZE, 0x7fff0000): with 256 MB, a 1 000 000-entry registry (~3 GB)
  // was read mostly through pread() into the page cache, and ITI-18 cost ~15% more hub CPU (issue #3
  // benchmark: 1.45 -> 1.26 ms/query, p99 15.2 -> 13.4 ms). Mapped pages are the OS file cache, shared
  // and reclaimable, not heap.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 2147418112');
  db.pragma('temp_store = MEMORY');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file}: schema version ${version} is newer than this build supports (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (const [table, column, definition, backfill] of ADDED_COLUMNS) {
      const columns = db.pragma(`table_info(${table})`) as { name: string }[];
      if (columns.length > 0 && !columns.some((c) => c.name === column)) {
        db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
        db.exec(backfill);
      }
    }
    db.exec(SCHEMA_SQL);
  })();
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}

/**
 * One connection shared by the stores of one file (metadata + patients): each store releases its share on
 * close(), the last release closes the connection.
 */
export class SharedConnection {
  private refs = 0;
  constructor(readonly db: SqliteDatabase) {}

  acquire(): SqliteDatabase {
    this.refs++;
    return this.db;
  }

  release(): void {
    this.refs--;
    if (this.refs <= 0 && this.db.open) {
      // refreshes planner statistics where the data changed enough (SQLite's advice for long-lived connections)
      this.db.pragma('optimize');
      this.db.close();
    }
  }
}
