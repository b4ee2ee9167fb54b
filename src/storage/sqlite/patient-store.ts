/**
 * PatientStore on SQLite, in the registry's database file (one backup covers both): the patients known
 * from the ITI-8 Patient Identity Feed, the admin API and later the CPR register.
 */
import type { PatientRecord, PatientStore } from '../ports.js';
import type { SharedConnection, SqliteDatabase } from './database.js';
import { preparedStatements, type PreparedStatements } from './statement-cache.js';

interface PatientRow {
  patient_id: string;
  demographics: string | null;
  source: string;
  updated_at: string;
  merged_into: string | null;
}

function toRecord(row: PatientRow): PatientRecord {
  const record: PatientRecord = { patientId: row.patient_id, source: row.source, updatedAt: row.updated_at };
  if (row.demographics !== null) record.demographics = JSON.parse(row.demographics) as Record<string, string>;
  if (row.merged_into !== null) record.mergedInto = row.merged_into;
  return record;
}

export class SqlitePatientStore implements PatientStore {
  private readonly db: SqliteDatabase;
  /** fixed statements, each prepared once. */
  private readonly sql: PreparedStatements;
  private closed = false;

  constructor(private readonly connection: SharedConnection) {
    this.db = connection.acquire();
    this.sql = preparedStatements(this.db);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqlitePatientStore is closed');
  }

  /** Replaces the whole record (a later feed message carries the complete current state). */
  async upsert(record: PatientRecord): Promise<void> {
    this.assertOpen();
    this
      .sql(
        `INSERT INTO patients (patient_id, demographics, source, updated_at, merged_into) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (patient_id) DO UPDATE SET demographics = excluded.demographics, source = excluded.source,
           updated_at = excluded.updated_at, merged_into = excluded.merged_into`,
      )
      .run(
        record.patientId,
        record.demographics === undefined ? null : JSON.stringify(record.demographics),
        record.source,
        record.updatedAt,
        record.mergedInto ?? null,
      );
  }

  async get(patientId: string): Promise<PatientRecord | undefined> {
    this.assertOpen();
    const row = this.sql('SELECT * FROM patients WHERE patient_id = ?').get(patientId) as PatientRow | undefined;
    return row && toRecord(row);
  }

  /** Ordered by patientId; `prefix` is a literal prefix (no wildcards), answered from the primary key. */
  async list(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<PatientRecord[]> {
    this.assertOpen();
    const limit = Math.max(0, Math.floor(options.limit ?? 100));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const rows = (
      options.prefix
        ? this
            .sql(
              'SELECT * FROM patients WHERE patient_id >= ? AND patient_id < ? ORDER BY patient_id LIMIT ? OFFSET ?',
            )
            .all(options.prefix, `${options.prefix}\u{10FFFF}`, limit, offset)
        : this.sql('SELECT * FROM patients ORDER BY patient_id LIMIT ? OFFSET ?').all(limit, offset)
    ) as PatientRow[];
    return rows.map(toRecord);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.release();
  }
}
