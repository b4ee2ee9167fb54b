/**
 * Bulk loading of DocumentEntries into the MongoDB registry (issue #7: `npm run bench` on MongoDB; the
 * SQLite counterpart is ../sqlite/bulk-load.ts). It writes exactly what commit() writes for an inserted
 * DocumentEntry — the stored form of document-shape.ts (`_codes`, `_n`, `_latest`, `_o`) and the object's
 * uniqueKeys rows — but a batch at a time with insertMany, without preconditions or outbox messages.
 *
 * Each batch is one transaction (same options as commit()), so a batch that breaks a uniqueness rule is
 * rolled back whole, as on SQLite, and reported as the ConflictError commit() would give, naming the
 * offending entry's position in the input; the batches before it stay loaded. Batches are kept small
 * (default 500 entries = 1 500 documents written with their uniqueKeys): a MongoDB transaction must
 * finish within transactionLifetimeLimitSeconds (60 s by default) and holds its writes in the WiredTiger
 * cache until it commits.
 *
 * Order: `_o` ObjectIds are made in input order before a batch is sent, and both insertMany calls are
 * ordered, so loaded entries come back oldest first, before anything committed later. `_latest` is
 * decided as commit() decides it (commit.ts refreshLatest): the highest version of a logicalID among the
 * stored entries and this batch; a stored entry a loaded version supersedes loses its flag in the same
 * transaction.
 */
import { ObjectId, type ClientSession, type Db, type MongoClient } from 'mongodb';
import { ConflictError } from '../ports.js';
import type { DocumentEntry } from '../../xds/model/types.js';
import { duplicateKeyConflict } from './commit.js';
import { COLLECTION, toStored, uniqueKeysOf, type StoredObject } from './document-shape.js';
import { COMMIT_TRANSACTION_OPTIONS, duplicateKeyOf } from './metadata-store.js';

export interface MongoBulkLoadOptions {
  /** entries per transaction (default 500). */
  batchSize?: number;
  /** called after each committed batch with the running total. */
  onProgress?: (loaded: number) => void;
}

export const DEFAULT_BULK_BATCH_SIZE = 500;

interface PreparedBatch {
  /** position of the batch's first entry in the input (0-based), for error messages. */
  first: number;
  docs: StoredObject[];
  keys: ReturnType<typeof uniqueKeysOf>;
  /** uniqueKeys `_id` → position in the input of the entry claiming it. */
  keyOwner: Map<string, number>;
}

/** A ConflictError naming the entry (0-based position in the input) that broke the rule. */
function atEntry(conflict: ConflictError, position: number | undefined): ConflictError {
  const where = position === undefined ? 'bulk load' : `bulk load, entry ${position}`;
  return new ConflictError(conflict.reason, `${where}: ${conflict.message}`, conflict.subject);
}

/**
 * Stored forms and uniqueKeys of one batch, with the duplicates inside the batch caught here, before
 * anything is sent (the first offender in input order, like commit()'s check within a write).
 */
function prepare(entries: DocumentEntry[], first: number): PreparedBatch {
  const docs: StoredObject[] = [];
  const keys: PreparedBatch['keys'] = [];
  const keyOwner = new Map<string, number>();
  entries.forEach((entry, i) => {
    const position = first + i;
    if (entry?.kind !== 'DocumentEntry') {
      throw new TypeError(`bulk load takes DocumentEntries only; entry ${position} is a ${String(entry?.kind)}`);
    }
    for (const key of uniqueKeysOf(entry)) {
      const earlier = keyOwner.get(key._id);
      if (earlier !== undefined) {
        const conflict = duplicateKeyConflict(key._id);
        throw new ConflictError(conflict.reason, `bulk load, entry ${position}: ${conflict.message} by entry ${earlier}`, conflict.subject);
      }
      keyOwner.set(key._id, position);
      keys.push(key);
    }
    // ObjectIds made in input order (time + per-process counter): `_o` sorts in load order.
    docs.push(toStored(entry, new ObjectId()));
  });
  return { first, docs, keys, keyOwner };
}

/** One batch in one transaction (withTransaction may run the body again: it only reads `batch`). */
async function loadBatch(db: Db, session: ClientSession, batch: PreparedBatch): Promise<void> {
  const entries = db.collection<StoredObject>(COLLECTION.DocumentEntry);
  const logicalIds = [...new Set(batch.docs.map((d) => d.logicalId as string))];
  const stored = await entries
    .find({ logicalId: { $in: logicalIds } }, { session, projection: { logicalId: 1, version: 1, _latest: 1 } })
    .toArray();
  const top = new Map<string, number>();
  for (const d of [...stored, ...batch.docs]) {
    const lid = d.logicalId as string;
    top.set(lid, Math.max(top.get(lid) ?? -Infinity, d.version as number));
  }
  // uniqueKeys first: a key taken by a stored object fails here (E11000), before any entry is written.
  await db.collection<PreparedBatch['keys'][number]>(COLLECTION.uniqueKeys).insertMany(batch.keys, { session, ordered: true });
  const docs = batch.docs.map((d) => ({ ...d, _latest: d.version === top.get(d.logicalId as string) }));
  await entries.insertMany(docs, { session, ordered: true });
  const set: string[] = [];
  const clear: string[] = [];
  for (const d of stored) {
    const latest = d.version === top.get(d.logicalId as string);
    if (latest && d._latest !== true) set.push(d._id);
    if (!latest && d._latest !== false) clear.push(d._id);
  }
  if (set.length) await entries.updateMany({ _id: { $in: set } }, { $set: { _latest: true } }, { session });
  if (clear.length) await entries.updateMany({ _id: { $in: clear } }, { $set: { _latest: false } }, { session });
}

async function commitBatch(client: MongoClient, db: Db, batch: PreparedBatch): Promise<void> {
  const session = client.startSession();
  try {
    await session.withTransaction(() => loadBatch(db, session, batch), COMMIT_TRANSACTION_OPTIONS);
  } catch (err) {
    // A key already taken by a stored object (or by a commit running meanwhile): the same ConflictError
    // commit() gives, with the entry's position; the whole batch was rolled back.
    const key = duplicateKeyOf(err);
    if (key === undefined) throw err;
    const keyId = /^(uuid|ss|fo|dl|fl)\|/.test(key) ? key : `uuid|${key}`;
    throw atEntry(duplicateKeyConflict(keyId), batch.keyOwner.get(keyId));
  } finally {
    await session.endSession();
  }
}

/** Loads the entries batch by batch; returns the number loaded. */
export async function bulkLoadDocumentEntries(
  client: MongoClient,
  db: Db,
  entries: Iterable<DocumentEntry> | AsyncIterable<DocumentEntry>,
  options: MongoBulkLoadOptions = {},
): Promise<number> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BULK_BATCH_SIZE));
  let loaded = 0;
  let pending: DocumentEntry[] = [];
  const flush = async () => {
    await commitBatch(client, db, prepare(pending, loaded));
    loaded += pending.length;
    pending = [];
    options.onProgress?.(loaded);
  };
  for await (const entry of entries) {
    pending.push(entry);
    if (pending.length >= batchSize) await flush();
  }
  if (pending.length) await flush();
  return loaded;
}
