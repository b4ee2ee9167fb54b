/**
 * MetadataStore on SQLite (better-sqlite3, synchronous; every call is a few index probes, so running it on
 * the event loop is cheaper than a worker hop). See schema.ts for the layout and query.ts for the filter
 * semantics.
 */
import type { Statement } from 'better-sqlite3';
import type {
  AssociationFilter,
  DocumentEntryFilter,
  FindOptions,
  FolderFilter,
  MetadataStore,
  MetadataWrite,
  OutboxMessage,
  SubmissionSetFilter,
} from '../ports.js';
import type { Association, DocumentEntry, Folder, RegistryObject, SubmissionSet } from '../../xds/model/types.js';
import { applyWrite, CommitStatements } from './commit.js';
import type { SharedConnection, SqliteDatabase } from './database.js';
import { WhereBuilder } from './query.js';
import { readObject } from './rows.js';
import { bulkLoadDocumentEntries, type BulkLoadOptions } from './bulk-load.js';
import { BUSY_TIMEOUT_MS } from './wal-database.js';

const STATEMENT_CACHE_SIZE = 256;
const PURGE_INTERVAL_MS = 60_000;

export interface SqliteMetadataStoreOptions {
  /** time source (tests). */
  clock?: () => Date;
  /**
   * How long dispatched outbox rows are kept (default 7 days): within this window a message repeated with
   * the same (queue, key) is still recognised and dropped; older rows are purged so the table stays small.
   */
  outboxRetentionMs?: number;
  /**
   * How long commit() waits for another process's write transaction (default 5 s, as the connection's
   * busy_timeout), then fails with SQLITE_BUSY.
   */
  commitWaitMs?: number;
}

function isBusy(err: unknown): boolean {
  return typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
}

export class SqliteMetadataStore implements MetadataStore {
  private readonly db: SqliteDatabase;
  private readonly commitStatements: CommitStatements;
  private readonly cache = new Map<string, Statement>();
  private closed = false;
  private readonly clock: () => Date;
  private readonly outboxRetentionMs: number;
  private lastPurge = 0;
  private readonly commitWaitMs: number;

  constructor(
    private readonly connection: SharedConnection,
    options: SqliteMetadataStoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.outboxRetentionMs = options.outboxRetentionMs ?? 7 * 24 * 3600_000;
    this.db = connection.acquire();
    this.commitStatements = new CommitStatements(this.db);
    this.commitWaitMs = options.commitWaitMs ?? BUSY_TIMEOUT_MS;
  }

  /** The prepared statement for `sql`, kept in a small per-store cache (query shapes repeat). */
  private prepare(sql: string): Statement {
    this.assertOpen();
    let stmt = this.cache.get(sql);
    if (stmt) {
      this.cache.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteMetadataStore is closed');
  }

  /**
   * One IMMEDIATE transaction. When another process holds the write lock (the HTTP workers of a cluster all
   * commit to this file: registrations, and on the DGWS read path an access outbox row per read), SQLite's
   * busy handler would sleep in this thread — 1, 2, 5, 10… ms with the event loop, and every other request
   * of the process, stopped. So the lock is asked for without waiting, and the wait between attempts is a
   * timer: the process keeps answering meanwhile. Nothing was written by a refused attempt.
   */
  async commit(write: MetadataWrite): Promise<void> {
    this.assertOpen();
    const now = () => this.clock().toISOString();
    const transaction = this.db.transaction(() => applyWrite(this.commitStatements, write, now));
    const giveUpAt = Date.now() + this.commitWaitMs;
    for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 16)) {
      // exec, not a prepared statement: SQLite applies this PRAGMA when it compiles it (~1 µs a pair)
      this.db.exec('PRAGMA busy_timeout = 0');
      try {
        transaction.immediate();
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() >= giveUpAt) throw err;
      } finally {
        this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      this.assertOpen();
    }
  }

  async getObjects(entryUuids: string[]): Promise<RegistryObject[]> {
    if (entryUuids.length === 0) return [];
    const where = new WhereBuilder('o').inList('uuid', [...new Set(entryUuids)]);
    const { sql, params } = where.sql(
      `SELECT o.uuid, coalesce(d.json, s.json, f.json, a.json) AS json,
              coalesce(d.status, s.status, f.status, a.status) AS status
       FROM objects o
       LEFT JOIN document_entries d ON d.id = o.id LEFT JOIN submission_sets s ON s.id = o.id
       LEFT JOIN folders f ON f.id = o.id LEFT JOIN associations a ON a.id = o.id`,
      undefined,
    );
    const rows = this.prepare(sql).all(...params) as { uuid: string; json: string; status: string }[];
    const byUuid = new Map(rows.map((r) => [r.uuid, readObject<RegistryObject>(r.json, r.status)]));
    const out: RegistryObject[] = [];
    for (const uuid of new Set(entryUuids)) {
      const obj = byUuid.get(uuid);
      if (obj) out.push(obj);
    }
    return out;
  }

  private run<T extends RegistryObject>(where: WhereBuilder, select: string, options?: FindOptions): T[] {
    const { sql, params } = where.sql(select, options?.limit);
    const rows = this.prepare(sql).all(...params) as { json: string; status: string }[];
    return rows.map((r) => readObject<T>(r.json, r.status));
  }

  async findDocumentEntries(filter: DocumentEntryFilter, options?: FindOptions): Promise<DocumentEntry[]> {
    // Patient-driven (FindDocuments & co, ITI-51 with patients): the de_patient_codes index yields the
    // candidates, and their codes are tested on the index entry (code_keys) instead of probed in `codes`.
    const w = new WhereBuilder('x', { codeKeys: filter.patientIds !== undefined });
    if (!filter.patientIds && !filter.entryUuids && !filter.uniqueIds && !filter.logicalIds) {
      const codeParams = [
        ['classCode', filter.classCode],
        ['eventCode', filter.eventCode],
        ['healthcareFacilityTypeCode', filter.healthcareFacilityTypeCode],
        ['typeCode', filter.typeCode],
        ['practiceSettingCode', filter.practiceSettingCode],
        ['formatCode', filter.formatCode],
      ] as const;
      codeParams.some(([kind, condition]) => w.driveByCode(kind, condition));
    }
    w.inList('patient_id', filter.patientIds)
      .entryUuids(filter.entryUuids)
      .inList('unique_id', filter.uniqueIds)
      .inList('logical_id', filter.logicalIds)
      .inList('status', filter.statuses)
      .inList('object_type', filter.objectTypes)
      .codes('classCode', filter.classCode)
      .codes('typeCode', filter.typeCode)
      .codes('practiceSettingCode', filter.practiceSettingCode)
      .codes('healthcareFacilityTypeCode', filter.healthcareFacilityTypeCode)
      .codes('eventCode', filter.eventCode)
      .codes('confidentialityCode', filter.confidentialityCode)
      .codes('formatCode', filter.formatCode)
      .time('creation_time', filter.creationTime)
      .time('service_start_time', filter.serviceStartTime)
      .time('service_stop_time', filter.serviceStopTime)
      .authors(filter.authorPersons)
      .referenceIds(filter.referenceIds)
      .latestOnly('document_entries', filter.allVersions);
    return this.run<DocumentEntry>(w, 'SELECT x.json, x.status FROM document_entries x', options);
  }

  async findSubmissionSets(filter: SubmissionSetFilter, options?: FindOptions): Promise<SubmissionSet[]> {
    const w = new WhereBuilder('x')
      .inList('patient_id', filter.patientIds)
      .entryUuids(filter.entryUuids)
      .inList('unique_id', filter.uniqueIds)
      .inList('status', filter.statuses)
      .inList('source_id', filter.sourceIds)
      .time('submission_time', filter.submissionTime)
      .authors(filter.authorPersons)
      .codes('contentTypeCode', filter.contentTypeCode);
    return this.run<SubmissionSet>(w, 'SELECT x.json, x.status FROM submission_sets x', options);
  }

  async findFolders(filter: FolderFilter, options?: FindOptions): Promise<Folder[]> {
    const w = new WhereBuilder('x');
    if (!filter.patientIds && !filter.entryUuids && !filter.uniqueIds && !filter.logicalIds) {
      w.driveByCode('codeList', filter.codeList);
    }
    w.inList('patient_id', filter.patientIds)
      .entryUuids(filter.entryUuids)
      .inList('unique_id', filter.uniqueIds)
      .inList('logical_id', filter.logicalIds)
      .inList('status', filter.statuses)
      .time('last_update_time', filter.lastUpdateTime)
      .codes('codeList', filter.codeList)
      .latestOnly('folders', filter.allVersions);
    return this.run<Folder>(w, 'SELECT x.json, x.status FROM folders x', options);
  }

  async findAssociations(filter: AssociationFilter, options?: FindOptions): Promise<Association[]> {
    const w = new WhereBuilder('x');
    if (filter.sourceOrTarget !== undefined) {
      if (filter.sourceOrTarget.length === 0) w.clauses.push('0');
      else {
        // Two IN lists joined by OR: SQLite answers each from its own index (as_source, as_target).
        const src = new WhereBuilder('x').inList('source_uuid', filter.sourceOrTarget);
        const tgt = new WhereBuilder('x').inList('target_uuid', filter.sourceOrTarget);
        w.clauses.push(`(${src.clauses[0]} OR ${tgt.clauses[0]})`);
        w.params.push(...src.params, ...tgt.params);
      }
    }
    w.inList('source_uuid', filter.sourceUuids)
      .inList('target_uuid', filter.targetUuids)
      .entryUuids(filter.entryUuids)
      .inList('type', filter.types)
      .inList('status', filter.statuses);
    return this.run<Association>(w, 'SELECT x.json, x.status FROM associations x', options);
  }

  async readOutbox(limit: number): Promise<(OutboxMessage & { seq: number })[]> {
    const rows = this.prepare(
      'SELECT seq, queue, key, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT ?',
    ).all(Math.max(0, Math.floor(limit))) as { seq: number; queue: string; key: string; payload: string }[];
    return rows.map((r) => ({ seq: r.seq, queue: r.queue, key: r.key, payload: JSON.parse(r.payload) }));
  }

  async ackOutbox(seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    const stmt = this.prepare('UPDATE outbox SET dispatched_at = ? WHERE seq = ? AND dispatched_at IS NULL');
    const now = this.clock();
    const at = now.toISOString();
    this.db.transaction(() => {
      for (const seq of seqs) stmt.run(at, seq);
    })();
    if (now.getTime() - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now.getTime();
      const cutoff = new Date(now.getTime() - this.outboxRetentionMs).toISOString();
      this.prepare('DELETE FROM outbox WHERE dispatched_at IS NOT NULL AND dispatched_at < ?').run(cutoff);
    }
  }

  async countObjects(): Promise<Record<'DocumentEntry' | 'SubmissionSet' | 'Folder' | 'Association', number>> {
    const row = this.prepare(
      `SELECT (SELECT count(*) FROM document_entries) AS de, (SELECT count(*) FROM submission_sets) AS ss,
              (SELECT count(*) FROM folders) AS fo, (SELECT count(*) FROM associations) AS asn`,
    ).get() as { de: number; ss: number; fo: number; asn: number };
    return { DocumentEntry: row.de, SubmissionSet: row.ss, Folder: row.fo, Association: row.asn };
  }

  /**
   * Bulk path for benchmarks and migrations (not on the port): inserts DocumentEntries in large
   * transactions through prepared statements, skipping the per-write conflict checks (the UNIQUE indexes
   * still reject duplicates). Returns the number inserted.
   */
  bulkLoadDocumentEntries(entries: Iterable<DocumentEntry>, options?: BulkLoadOptions): number {
    this.assertOpen();
    return bulkLoadDocumentEntries(this.db, this.commitStatements, entries, options);
  }

  /** Refreshes the planner statistics (worth running after a bulk load). */
  analyze(): void {
    this.assertOpen();
    this.db.exec('ANALYZE');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.connection.release();
  }
}
