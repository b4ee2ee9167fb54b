/**
 * The admin activity view's ring and error counts (src/admin/activity-log.ts) in SQLite, shared by several
 * hub processes (node cluster), so the view lists every worker's transactions whichever worker answers it.
 *
 * `admin_activity` holds the entries as JSON under an increasing seq (commit order across processes); a
 * write inserts the entries, bumps the counters of their error codes in `admin_activity_errors`, and now
 * and then deletes what fell out of the newest `capacity`, in one IMMEDIATE transaction.
 *
 * Batched per event-loop turn, as the embedded job queue does: add() only queues the entry, and one
 * setImmediate writes every entry queued in the turn. A commit costs ~30 µs CPU on the bench VM (most of
 * it the WAL write and lock system calls) against ~5 µs per further row (bench/admin-stores.ts), and each
 * SOAP request records one entry, so under load the requests finishing in one turn share a commit — and
 * fewer WAL pages are written. recent() and errorsByCode() write the queue first, so a process always sees
 * its own entries; other processes see them one turn later. Entries still queued when the process dies are
 * lost: this is a window on recent traffic, not the audit trail. `flush()` writes the queue at once (call it
 * before closing the database).
 *
 * The caller opens and owns the database (`openWalDatabase`); the tables are created IF NOT EXISTS.
 */
import type Database from 'better-sqlite3';
import { checkActivityCapacity, DEFAULT_ACTIVITY_CAPACITY, type ActivityEntry, type ActivityStore, type ErrorCount } from '../../admin/activity-log.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admin_activity (
  seq INTEGER PRIMARY KEY,
  entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS admin_activity_errors (
  -- first-seen order, the tie-break of errorsByCode (the in-memory store's Map order)
  seq INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  count INTEGER NOT NULL,
  last_seen TEXT NOT NULL,
  last_transaction TEXT
);
`;

export interface SqliteActivityStoreOptions {
  /** entries kept (all processes together); default 500. */
  capacity?: number;
  /**
   * told when a batch could not be written (its entries are dropped: the activity view must never break
   * the requests it watches); default: a process warning.
   */
  onError?: (err: unknown) => void;
}

export interface SqliteActivityStore extends ActivityStore {
  /** writes the entries queued in this turn now (e.g. before the database is closed). */
  flush(): void;
}

/** rows beyond `capacity` are deleted once per this many inserts, so the table holds < capacity + TRIM_EVERY. */
const TRIM_EVERY = 64;

interface ErrorRow {
  code: string;
  count: number;
  last_seen: string;
  last_transaction: string | null;
}

export function createSqliteActivityStore(db: Database.Database, options: SqliteActivityStoreOptions = {}): SqliteActivityStore {
  const capacity = checkActivityCapacity(options.capacity ?? DEFAULT_ACTIVITY_CAPACITY);
  const onError = options.onError ?? ((err: unknown) => process.emitWarning(`admin activity entries not written: ${err instanceof Error ? err.message : String(err)}`));
  db.exec(SCHEMA);
  const insert = db.prepare('INSERT INTO admin_activity (entry) VALUES (?)');
  const trim = db.prepare('DELETE FROM admin_activity WHERE seq <= ?');
  const countError = db.prepare(
    `INSERT INTO admin_activity_errors (code, count, last_seen, last_transaction) VALUES (@code, 1, @time, @transaction)
     ON CONFLICT (code) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen, last_transaction = excluded.last_transaction`,
  );
  const recent = db.prepare('SELECT entry FROM admin_activity ORDER BY seq DESC LIMIT ?').pluck();
  const errors = db.prepare('SELECT code, count, last_seen, last_transaction FROM admin_activity_errors ORDER BY count DESC, seq');

  const write = db.transaction((entries: ActivityEntry[]) => {
    let first = 0;
    let seq = 0;
    for (const e of entries) {
      seq = Number(insert.run(JSON.stringify(e)).lastInsertRowid);
      first ||= seq;
      for (const code of e.errorCodes) countError.run({ code, time: e.time, transaction: e.transaction ?? null });
    }
    // seq only grows (INTEGER PRIMARY KEY takes max + 1 and the newest row is never deleted), so the newest
    // `capacity` rows are exactly those above seq - capacity. The delete runs in the batch that passes a
    // multiple of TRIM_EVERY (one batch per multiple, whichever process writes it), not in every one: it
    // touches an older page, and skipping it saves ~10 µs CPU of the ~30 µs commit (bench/admin-stores.ts).
    if (Math.floor(seq / TRIM_EVERY) !== Math.floor((first - 1) / TRIM_EVERY)) trim.run(seq - capacity);
  });

  let queued: ActivityEntry[] = [];
  let scheduled = false;
  const flush = () => {
    if (queued.length === 0) return;
    const entries = queued;
    queued = [];
    // IMMEDIATE: the write lock is taken (waiting on the busy timeout) before anything runs.
    write.immediate(entries);
  };
  const flushLater = () => {
    scheduled = false;
    if (!db.open) {
      queued = []; // the hub is shutting down and closed the file: nothing left to show the entries in
      return;
    }
    try {
      flush();
    } catch (err) {
      onError(err);
    }
  };

  return {
    add(e) {
      queued.push(e);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushLater);
      }
    },
    recent(limit) {
      flush();
      // up to TRIM_EVERY - 1 rows past the ring may still be in the table: never show them
      return (recent.all(Math.min(limit, capacity)) as string[]).map((json) => JSON.parse(json) as ActivityEntry);
    },
    errorsByCode() {
      flush();
      return (errors.all() as ErrorRow[]).map((r): ErrorCount => ({ code: r.code, count: r.count, lastSeen: r.last_seen, lastTransaction: r.last_transaction ?? undefined }));
    },
    flush,
  };
}
