/**
 * Contract suite of the PatientStore port (src/storage/ports.ts): every adapter runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientRecord, PatientStore } from '../../src/storage/ports.js';

export type PatientStoreFactory = () => Promise<{ store: PatientStore; cleanup(): Promise<void> }>;

const AA = '&1.2.208.176.1.2&ISO';
const rec = (id: string, extra: Partial<PatientRecord> = {}): PatientRecord => ({
  patientId: `${id}^^^${AA}`,
  source: 'iti8',
  updatedAt: '2026-11-28T08:00:00.000Z',
  ...extra,
});

export function describePatientStoreContract(name: string, factory: PatientStoreFactory): void {
  describe(`PatientStore contract: ${name}`, () => {
    let store: PatientStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores and returns a record unchanged; unknown ids are undefined', async () => {
      const r = rec('0101011234', { demographics: { name: 'Hansen^Hans', birthDate: '19010101', sex: 'M' } });
      await store.upsert(r);
      expect(await store.get(r.patientId)).toEqual(r);
      expect(await store.get(`9999^^^${AA}`)).toBeUndefined();
    });

    it('upsert replaces the whole record (merge, source, demographics removed)', async () => {
      const r = rec('1', { demographics: { name: 'A' } });
      await store.upsert(r);
      const merged = rec('1', { source: 'admin', updatedAt: '2026-11-28T09:00:00.000Z', mergedInto: `2^^^${AA}` });
      await store.upsert(merged);
      expect(await store.get(r.patientId)).toEqual(merged);
    });

    it('lists in patientId order with prefix, limit and offset', async () => {
      for (const id of ['300', '100', '200', '110', '2000']) await store.upsert(rec(id));
      const all = (await store.list()).map((p) => p.patientId.split('^')[0]);
      // ordered by the whole CX string ('2000^…' sorts before '200^…')
      expect(all).toEqual(['100', '110', '2000', '200', '300']);
      expect((await store.list({ prefix: '1' })).map((p) => p.patientId.split('^')[0])).toEqual(['100', '110']);
      expect((await store.list({ prefix: '200' })).map((p) => p.patientId.split('^')[0])).toEqual(['2000', '200']);
      expect((await store.list({ prefix: '%' })).length).toBe(0);
      expect((await store.list({ limit: 2, offset: 1 })).map((p) => p.patientId.split('^')[0])).toEqual(['110', '2000']);
    });
  });
}
