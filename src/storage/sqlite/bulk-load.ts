/**
 * Bulk loading of DocumentEntries (issue #3: the million-entry benchmark loads "through a bulk path"):
 * the same prepared inserts as commit(), but batched into large transactions without the per-object
 * conflict queries. The UNIQUE indexes still hold: a duplicate aborts the current batch with an error.
 */
import type { DocumentEntry } from '../../xds/model/types.js';
import { insertObject, type CommitStatements } from './commit.js';
import type { SqliteDatabase } from './database.js';

export interface BulkLoadOptions {
  /** entries per transaction (default 20 000). */
  batchSize?: number;
  /** called after each committed batch with the running total. */
  onProgress?: (loaded: number) => void;
}

export function bulkLoadDocumentEntries(
  db: SqliteDatabase,
  statements: CommitStatements,
  entries: Iterable<DocumentEntry>,
  options: BulkLoadOptions = {},
): number {
  const batchSize = Math.max(1, options.batchSize ?? 20_000);
  // No fsync per batch while loading (a process crash still loses nothing committed; an OS crash may lose
  // the load, which is then simply repeated); the normal setting is restored and checkpointed at the end.
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = OFF');
  try {
    return load(db, statements, entries, options, batchSize);
  } finally {
    db.pragma(`synchronous = ${previous}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

function load(
  db: SqliteDatabase,
  statements: CommitStatements,
  entries: Iterable<DocumentEntry>,
  options: BulkLoadOptions,
  batchSize: number,
): number {
  const insertBatch = db.transaction((batch: DocumentEntry[]) => {
    for (const entry of batch) insertObject(statements, entry);
  });
  let loaded = 0;
  let batch: DocumentEntry[] = [];
  for (const entry of entries) {
    batch.push(entry);
    if (batch.length >= batchSize) {
      insertBatch(batch);
      loaded += batch.length;
      batch = [];
      options.onProgress?.(loaded);
    }
  }
  if (batch.length) {
    insertBatch(batch);
    loaded += batch.length;
    options.onProgress?.(loaded);
  }
  return loaded;
}
