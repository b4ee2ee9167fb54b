/**
 * SQLite adapter of ConsentStore and SorHierarchy (one file, default `<dataDir>/minspaerring.db`). The
 * registration is kept as JSON next to the columns the look-ups need (citizen, validity), so the model
 * can grow without migrations; WAL + synchronous=NORMAL as the registry database.
 */
import type Database from 'better-sqlite3';
import type { Consent } from './model.js';
import type { ConsentStore, OrganisationId, SorHierarchy, SorUnit } from './ports.js';
import { preparedStatements, type PreparedStatements } from '../../storage/sqlite/statement-cache.js';
import { openWalDatabase } from '../../storage/sqlite/wal-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS consent (
  id          TEXT PRIMARY KEY,
  citizen_cpr TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_citizen ON consent (citizen_cpr, created_seq);
CREATE TABLE IF NOT EXISTS sor_unit (
  sor_id        TEXT PRIMARY KEY,
  parent_sor_id TEXT,
  name          TEXT,
  shak          TEXT UNIQUE,
  yder          TEXT UNIQUE
);
`;

export class SqliteConsentStore implements ConsentStore, SorHierarchy {
  private readonly db: Database.Database;
  /** the store's fixed statements, each prepared once (every read path looks consents up). */
  private readonly sql: PreparedStatements;
  private seq: number;

  constructor(file: string) {
    this.db = openWalDatabase(file, SCHEMA);
    this.sql = preparedStatements(this.db);
    this.seq = (this.sql('SELECT COALESCE(MAX(created_seq), 0) AS m FROM consent').get() as { m: number }).m;
  }

  async insert(consent: Consent): Promise<void> {
    this
      .sql('INSERT INTO consent (id, citizen_cpr, body, created_seq) VALUES (?, ?, ?, ?)')
      .run(consent.id, consent.citizenCpr, JSON.stringify(consent), ++this.seq);
  }

  async update(consent: Consent): Promise<boolean> {
    const r = this.sql('UPDATE consent SET body = ? WHERE id = ? AND citizen_cpr = ?').run(JSON.stringify(consent), consent.id, consent.citizenCpr);
    return r.changes === 1;
  }

  async get(id: string): Promise<Consent | undefined> {
    const row = this.sql('SELECT body FROM consent WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Consent) : undefined;
  }

  async listForCitizen(citizenCpr: string): Promise<Consent[]> {
    const rows = this.sql('SELECT body FROM consent WHERE citizen_cpr = ? ORDER BY created_seq').all(citizenCpr) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as Consent);
  }

  /** Loads or replaces SOR units (a SOR extract, or test data). */
  async upsertSorUnits(units: SorUnit[]): Promise<void> {
    this.upsertSorUnitsSync(units);
  }

  /** The same, synchronously (start-up). */
  upsertSorUnitsSync(units: SorUnit[]): void {
    const stmt = this.sql(
      'INSERT INTO sor_unit (sor_id, parent_sor_id, name, shak, yder) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (sor_id) DO UPDATE SET parent_sor_id = excluded.parent_sor_id, name = excluded.name, shak = excluded.shak, yder = excluded.yder',
    );
    this.db.transaction(() => {
      for (const u of units) stmt.run(u.sorId, u.parentSorId ?? null, u.name ?? null, u.shak ?? null, u.yder ?? null);
    })();
  }

  async toSor(org: OrganisationId): Promise<string | undefined> {
    const type = org.type.toLowerCase();
    const column = type === 'sor' || type.endsWith(':sor') ? 'sor_id' : type.includes('sks') || type.includes('shak') ? 'shak' : type.includes('ynumber') || type.includes('yder') ? 'yder' : undefined;
    if (!column) return undefined;
    const row = this.sql(`SELECT sor_id FROM sor_unit WHERE ${column} = ?`).get(org.id) as { sor_id: string } | undefined;
    return row?.sor_id;
  }

  async lineage(sorId: string): Promise<string[]> {
    // A recursive CTE walks up the parents; the depth bound guards against a cycle in bad input data.
    const rows = this
      .sql(
        `WITH RECURSIVE up(id, parent, depth) AS (
           SELECT sor_id, parent_sor_id, 0 FROM sor_unit WHERE sor_id = ?
           UNION ALL
           SELECT s.sor_id, s.parent_sor_id, up.depth + 1 FROM sor_unit s JOIN up ON s.sor_id = up.parent WHERE up.depth < 32
         ) SELECT id FROM up ORDER BY depth`,
      )
      .all(sorId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteConsentStore(file: string): SqliteConsentStore {
  return new SqliteConsentStore(file);
}
