/**
 * SQLite adapter of BrsNotificationStore (default `<dataDir>/brs.db`). Sequence numbers are per queryable
 * CVR, contiguous and assigned inside the inserting transaction, so a poller that remembers its last
 * offset never misses or repeats one; the order key makes a repeated follow-up job a no-op.
 */
import type Database from 'better-sqlite3';
import type { BrsNotification, TreatmentRelation, TreatmentRelationRequest } from './model.js';
import type { BrsNotificationStore } from './ports.js';
import { preparedStatements, type PreparedStatements } from '../../storage/sqlite/statement-cache.js';
import { openWalDatabase } from '../../storage/sqlite/wal-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS notification (
  queryable_cvr TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  order_key     TEXT NOT NULL UNIQUE,
  request       TEXT NOT NULL,
  relation      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (queryable_cvr, seq)
);
`;

export class SqliteBrsNotificationStore implements BrsNotificationStore {
  private readonly db: Database.Database;
  /** fixed statements, each prepared once. */
  private readonly sql: PreparedStatements;

  constructor(file: string, private readonly clock: () => Date = () => new Date()) {
    this.db = openWalDatabase(file, SCHEMA);
    this.sql = preparedStatements(this.db);
  }

  async add(n: { orderKey: string; queryableCvr: string; request: TreatmentRelationRequest; relation: TreatmentRelation }): Promise<number> {
    return this.db.transaction(() => {
      const existing = this.sql('SELECT seq FROM notification WHERE order_key = ?').get(n.orderKey) as { seq: number } | undefined;
      if (existing) return existing.seq;
      const { next } = this.sql('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM notification WHERE queryable_cvr = ?').get(n.queryableCvr) as { next: number };
      this
        .sql('INSERT INTO notification (queryable_cvr, seq, order_key, request, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(n.queryableCvr, next, n.orderKey, JSON.stringify(n.request), JSON.stringify(n.relation), this.clock().toISOString());
      return next;
    }).immediate();
  }

  async after(queryableCvr: string, offset: number, limit: number): Promise<BrsNotification[]> {
    const rows = this
      .sql('SELECT seq, order_key, request, relation, created_at FROM notification WHERE queryable_cvr = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(queryableCvr, offset, limit) as { seq: number; order_key: string; request: string; relation: string; created_at: string }[];
    return rows.map((r) => ({
      seq: r.seq,
      queryableCvr,
      orderKey: r.order_key,
      request: JSON.parse(r.request) as TreatmentRelationRequest,
      relation: JSON.parse(r.relation) as TreatmentRelation,
      createdAt: r.created_at,
    }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
