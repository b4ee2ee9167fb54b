/**
 * MetadataStore on MongoDB (official driver). Needs a replica set or a sharded cluster: commit() runs in a
 * multi-document transaction so a submission is all-or-nothing (ITI TF-2b §3.42.4.1.3). Queries are
 * translated by filter-translation.ts; the stored form is document-shape.ts; indexes are in indexes.ts.
 */
import type { ClientSession, Db, MongoClient, TransactionOptions } from 'mongodb';
import {
  ConflictError,
  type AssociationFilter,
  type DocumentEntryFilter,
  type FindOptions,
  type FolderFilter,
  type MetadataStore,
  type MetadataWrite,
  type OutboxMessage,
  type SubmissionSetFilter,
} from '../ports.js';
import type { Association, DocumentEntry, Folder, RegistryObject, RegistryObjectKind, SubmissionSet } from '../../xds/model/types.js';
import { bulkLoadDocumentEntries, type MongoBulkLoadOptions } from './bulk-load.js';
import { CommitTransaction, duplicateKeyConflict } from './commit.js';
import { COLLECTION, fromStored, type StoredObject } from './document-shape.js';
import { associationQuery, documentEntryQuery, folderQuery, submissionSetQuery, type MongoQuery } from './filter-translation.js';

/** Snapshot reads and majority writes: a commit sees one consistent registry and survives a failover. */
export const COMMIT_TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

const KINDS: RegistryObjectKind[] = ['DocumentEntry', 'SubmissionSet', 'Folder', 'Association'];

/**
 * The uniqueKeys `_id` a duplicate-key error (E11000) is about, wherever the driver put it: `keyValue` on a
 * MongoServerError, on the first write error of a MongoBulkWriteError (insertMany), or only in the message.
 */
export function duplicateKeyOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || (err as { code?: unknown }).code !== 11000) return undefined;
  const e = err as {
    keyValue?: { _id?: unknown };
    writeErrors?: { err?: { keyValue?: { _id?: unknown }; errmsg?: string }; errmsg?: string }[];
    message?: string;
  };
  const first = e.writeErrors?.[0];
  const direct = e.keyValue?._id ?? first?.err?.keyValue?._id;
  if (typeof direct === 'string') return direct;
  const text = first?.errmsg ?? first?.err?.errmsg ?? e.message ?? '';
  const m = /dup key: \{ _id: "((?:[^"\\]|\\.)*)" \}/.exec(text);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

export class MongoMetadataStore implements MetadataStore {
  private closed = false;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoMetadataStore is closed');
  }

  private coll(kind: RegistryObjectKind) {
    return this.db.collection<StoredObject>(COLLECTION[kind]);
  }

  async commit(write: MetadataWrite): Promise<void> {
    this.assertOpen();
    const session: ClientSession = this.client.startSession();
    try {
      // withTransaction retries the whole body on TransientTransactionError (e.g. a write conflict with a
      // concurrent commit) and the commit on UnknownTransactionCommitResult; any other error aborts.
      await session.withTransaction(async () => {
        await new CommitTransaction(this.db, session, this.clock).apply(write);
      }, COMMIT_TRANSACTION_OPTIONS);
    } catch (err) {
      if (err instanceof ConflictError) throw err;
      // A concurrent transaction committed the same uniqueKeys `_id` (or object `_id`) first.
      const key = duplicateKeyOf(err);
      if (key !== undefined) throw duplicateKeyConflict(/^(uuid|ss|fo|dl|fl)\|/.test(key) ? key : `uuid|${key}`);
      throw err;
    } finally {
      await session.endSession();
    }
  }

  async getObjects(entryUuids: string[]): Promise<RegistryObject[]> {
    this.assertOpen();
    const wanted = [...new Set(entryUuids)];
    if (wanted.length === 0) return [];
    const found = new Map<string, RegistryObject>();
    await Promise.all(
      KINDS.map(async (kind) => {
        const docs = await this.coll(kind).find({ _id: { $in: wanted } }).toArray();
        for (const d of docs) found.set(d._id, fromStored(d));
      }),
    );
    return wanted.flatMap((uuid) => {
      const obj = found.get(uuid);
      return obj ? [obj] : [];
    });
  }

  private async find<T extends RegistryObject>(kind: RegistryObjectKind, query: MongoQuery, options?: FindOptions): Promise<T[]> {
    this.assertOpen();
    let limit: number | undefined;
    if (options?.limit !== undefined) {
      limit = Math.max(0, Math.floor(options.limit));
      // MongoDB reads limit(0) as "no limit"; the port means none.
      if (limit === 0) return [];
    }
    let cursor = this.coll(kind).find(query).sort({ _o: 1, _id: 1 });
    if (limit !== undefined) cursor = cursor.limit(limit);
    return (await cursor.toArray()).map((d) => fromStored<T>(d));
  }

  findDocumentEntries(filter: DocumentEntryFilter, options?: FindOptions): Promise<DocumentEntry[]> {
    return this.find<DocumentEntry>('DocumentEntry', documentEntryQuery(filter), options);
  }

  findSubmissionSets(filter: SubmissionSetFilter, options?: FindOptions): Promise<SubmissionSet[]> {
    return this.find<SubmissionSet>('SubmissionSet', submissionSetQuery(filter), options);
  }

  findFolders(filter: FolderFilter, options?: FindOptions): Promise<Folder[]> {
    return this.find<Folder>('Folder', folderQuery(filter), options);
  }

  findAssociations(filter: AssociationFilter, options?: FindOptions): Promise<Association[]> {
    return this.find<Association>('Association', associationQuery(filter), options);
  }

  async readOutbox(limit: number): Promise<(OutboxMessage & { seq: number })[]> {
    this.assertOpen();
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    const rows = await this.db
      .collection<{ seq: number; queue: string; key: string; payload: string }>(COLLECTION.outbox)
      .find({ dispatched: false })
      .sort({ seq: 1 })
      .limit(n)
      .toArray();
    return rows.map((r) => ({ seq: r.seq, queue: r.queue, key: r.key, payload: JSON.parse(r.payload) as unknown }));
  }

  async ackOutbox(seqs: number[]): Promise<void> {
    this.assertOpen();
    if (seqs.length === 0) return;
    await this.db
      .collection(COLLECTION.outbox)
      .updateMany({ seq: { $in: seqs }, dispatched: false }, { $set: { dispatched: true, dispatchedAt: this.clock().toISOString() } });
  }

  async countObjects(): Promise<Record<'DocumentEntry' | 'SubmissionSet' | 'Folder' | 'Association', number>> {
    this.assertOpen();
    const [de, ss, fo, asn] = await Promise.all(KINDS.map((kind) => this.coll(kind).countDocuments({})));
    return { DocumentEntry: de, SubmissionSet: ss, Folder: fo, Association: asn };
  }

  /**
   * Loads DocumentEntries in batched transactions with insertMany (bulk-load.ts): the same stored form,
   * uniqueKeys and latest-version flags as commit(), for benchmarks and migrations (not on the port).
   * A uniqueness violation rolls back its batch and throws the ConflictError commit() would give.
   * Returns the number loaded.
   */
  async bulkLoadDocumentEntries(
    entries: Iterable<DocumentEntry> | AsyncIterable<DocumentEntry>,
    options?: MongoBulkLoadOptions,
  ): Promise<number> {
    this.assertOpen();
    return bulkLoadDocumentEntries(this.client, this.db, entries, options);
  }

  /** Marks the store closed; the client is closed by whoever opened it (index.ts: openMongoStores). */
  async close(): Promise<void> {
    this.closed = true;
  }
}
