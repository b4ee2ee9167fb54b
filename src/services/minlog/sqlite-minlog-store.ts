/**
 * SQLite adapter of MinLogStore (default `<dataDir>/minlog.db`). The idempotency key is the primary key:
 * INSERT OR IGNORE makes a repeated delivery a no-op. The citizen and the registration time are columns
 * for the extract; the registration itself is kept as JSON.
 */
import type Database from 'better-sqlite3';
import type { MinLogStore } from './ports.js';
import type { MinLogRegistration, StoredRegistration } from './registration.js';
import { preparedStatements, type PreparedStatements } from '../../storage/sqlite/statement-cache.js';
import { openWalDatabase } from '../../storage/sqlite/wal-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS registration (
  key           TEXT PRIMARY KEY,
  citizen       TEXT NOT NULL,
  at            TEXT NOT NULL,
  body          TEXT NOT NULL,
  registered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registration_citizen ON registration (citizen, at);
`;

/** The time a registration is about: DateTime, or the start of its period; normalised to ISO UTC. */
function timeOf(r: MinLogRegistration): string {
  return new Date(Date.parse(r.dateTime ?? r.fromDateTime ?? '')).toISOString();
}

export class SqliteMinLogStore implements MinLogStore {
  private readonly db: Database.Database;
  /** fixed statements, each prepared once. */
  private readonly sql: PreparedStatements;

  constructor(file: string, private readonly clock: () => Date = () => new Date()) {
    this.db = openWalDatabase(file, SCHEMA);
    this.sql = preparedStatements(this.db);
  }

  async add(entries: { key: string; registration: MinLogRegistration }[]): Promise<{ added: number; duplicates: number }> {
    const stmt = this.sql('INSERT OR IGNORE INTO registration (key, citizen, at, body, registered_at) VALUES (?, ?, ?, ?, ?)');
    const now = this.clock().toISOString();
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) added += stmt.run(e.key, e.registration.citizen.id, timeOf(e.registration), JSON.stringify(e.registration), now).changes;
    })();
    return { added, duplicates: entries.length - added };
  }

  async extract(citizenCpr: string, period: { from?: string; to?: string } = {}): Promise<StoredRegistration[]> {
    const from = period.from ? new Date(Date.parse(period.from)).toISOString() : '';
    const to = period.to ? new Date(Date.parse(period.to)).toISOString() : '\uffff';
    const rows = this
      .sql('SELECT key, body, registered_at FROM registration WHERE citizen = ? AND at >= ? AND at < ? ORDER BY at, key')
      .all(citizenCpr, from, to) as { key: string; body: string; registered_at: string }[];
    return rows.map((r) => ({ ...(JSON.parse(r.body) as MinLogRegistration), key: r.key, registeredAt: r.registered_at }));
  }

  async count(): Promise<number> {
    return (this.sql('SELECT count(*) AS n FROM registration').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteMinLogStore(file: string): SqliteMinLogStore {
  return new SqliteMinLogStore(file);
}
