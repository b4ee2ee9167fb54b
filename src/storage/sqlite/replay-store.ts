/**
 * SQLite adapter of the ReplayStore port (src/security/replay-store.ts) for several hub worker processes
 * on one machine: they open the same file (the composition root uses `<dataDir>/cluster-state.db`, shared
 * with other cluster adapters, opened with openWalDatabase) so a DGWS/IDWS MessageID replayed to another
 * worker is refused too (dk-nsp.md §1.4).
 *
 * The database belongs to the caller; this adapter only creates its own table. Check and insert are one
 * statement, an upsert that replaces a row only when it has expired: SQLite runs each write statement
 * under the database's single write lock, so of two processes remembering the same key at once exactly
 * one sees `changes === 1`. Rows are purged every `purgeEvery` inserts of this process: expired ones
 * first (through the expires_at index), then, beyond `maxEntries`, those that expire soonest.
 */
import type Database from 'better-sqlite3';
import { checkExpiresAt, DEFAULT_REPLAY_MAX_ENTRIES, type ReplayStore } from '../../security/replay-store.js';

const TABLE = 'security_replay_messages';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  key        TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${TABLE}_expires_at ON ${TABLE} (expires_at);
`;

export interface SqliteReplayStoreOptions {
  /** ms since the epoch; the processes sharing the file share the machine's clock. */
  clock: () => number;
  /** Bound of the table (default 200 000, the in-process store's); beyond it the soonest-expiring rows go. */
  maxEntries?: number;
  /** Purge after this many inserts by this process (default 1 000): the table may exceed maxEntries by that much between purges. */
  purgeEvery?: number;
}

function positiveInteger(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`createSqliteReplayStore: ${name} must be a positive integer, got ${v}`);
  return v;
}

export function createSqliteReplayStore(db: Database.Database, options: SqliteReplayStoreOptions): ReplayStore {
  const { clock } = options;
  const maxEntries = positiveInteger('maxEntries', options.maxEntries, DEFAULT_REPLAY_MAX_ENTRIES);
  const purgeEvery = positiveInteger('purgeEvery', options.purgeEvery, 1_000);
  db.exec(SCHEMA);

  // replaces an existing row only when it has expired: changes is 1 for a new (or expired) key, 0 for a replay
  const insert = db.prepare(
    `INSERT INTO ${TABLE} (key, expires_at) VALUES (@key, @expiresAt)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE ${TABLE}.expires_at <= @now`,
  );
  const live = db.prepare(`SELECT 1 FROM ${TABLE} WHERE key = ? AND expires_at > ?`).pluck();
  const deleteExpired = db.prepare(`DELETE FROM ${TABLE} WHERE expires_at <= ?`);
  const count = db.prepare(`SELECT count(*) FROM ${TABLE}`).pluck();
  const evictSoonest = db.prepare(`DELETE FROM ${TABLE} WHERE key IN (SELECT key FROM ${TABLE} ORDER BY expires_at LIMIT ?)`);
  // IMMEDIATE: take the write lock up front (waiting up to busy_timeout for another process) rather than
  // upgrading a read lock half-way, which SQLite answers with SQLITE_BUSY without waiting
  const purge = db.transaction((now: number) => {
    deleteExpired.run(now);
    const excess = (count.get() as number) - maxEntries;
    if (excess > 0) evictSoonest.run(excess);
  });

  let insertsSincePurge = 0;
  // a restart after a long pause finds mostly expired rows: clear them before the first request
  purge.immediate(clock());

  return {
    remember(key, expiresAt) {
      checkExpiresAt(expiresAt);
      const now = clock();
      // already expired: not stored (it could never be replayed later), but a live entry is still a replay
      if (expiresAt <= now) return live.get(key, now) === undefined;
      if (insert.run({ key, expiresAt, now }).changes === 0) return false;
      if (++insertsSincePurge >= purgeEvery) {
        insertsSincePurge = 0;
        purge.immediate(now);
      }
      return true;
    },
    size: () => count.get() as number,
  };
}
