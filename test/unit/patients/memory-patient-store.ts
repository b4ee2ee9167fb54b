/** A tiny Map-based PatientStore for unit tests of the feed logic (the integration test uses SQLite). */
import type { PatientRecord, PatientStore } from '../../../src/storage/ports.js';

export class MemoryPatientStore implements PatientStore {
  readonly records = new Map<string, PatientRecord>();
  failNext: Error | undefined;

  async upsert(record: PatientRecord): Promise<void> {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    this.records.set(record.patientId, structuredClone(record));
  }

  async get(patientId: string): Promise<PatientRecord | undefined> {
    const r = this.records.get(patientId);
    return r && structuredClone(r);
  }

  async list(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<PatientRecord[]> {
    const all = [...this.records.values()]
      .filter((r) => !options.prefix || r.patientId.startsWith(options.prefix))
      .sort((a, b) => (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0));
    const offset = options.offset ?? 0;
    return all.slice(offset, offset + (options.limit ?? 100)).map((r) => structuredClone(r));
  }

  async close(): Promise<void> {}
}
