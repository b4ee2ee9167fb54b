import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/storage/sqlite/index.js';
import { emptyWrite } from '../../src/storage/ports.js';
import { documentEntry } from '../support/domain-builders.js';
import { describePatientStoreContract } from './patient-store.contract.js';

describePatientStoreContract('sqlite (:memory:)', async () => {
  const stores = openSqliteStores(':memory:');
  return { store: stores.patients, cleanup: () => stores.close() };
});

describe('openSqliteStores (file)', () => {
  it('keeps metadata and patients in one file across close and reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sqlite-'));
    const file = path.join(dir, 'nested', 'registry.db');
    try {
      const first = openSqliteStores(file);
      const de = documentEntry();
      await first.metadata.commit({ ...emptyWrite(), insert: [de] });
      await first.patients.upsert({ patientId: de.patientId, source: 'admin', updatedAt: '2026-11-28T08:00:00Z' });
      await first.close();
      await first.close();
      await expect(first.metadata.getObjects([de.entryUuid])).rejects.toThrow(/closed/);

      const second = openSqliteStores(file);
      expect(await second.metadata.getObjects([de.entryUuid])).toEqual([de]);
      expect((await second.patients.get(de.patientId))?.source).toBe('admin');
      // closing one store keeps the shared connection open for the other
      await second.metadata.close();
      expect((await second.patients.get(de.patientId))?.patientId).toBe(de.patientId);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
