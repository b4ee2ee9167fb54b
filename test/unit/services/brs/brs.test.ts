import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brsFollowUpHandler } from '../../../../src/services/brs/brs-worker.js';
import type { TreatmentRelationRequest } from '../../../../src/services/brs/model.js';
import { dtmToMs, judgeRelation } from '../../../../src/services/brs/relation-rules.js';
import { SqliteBrsNotificationStore } from '../../../../src/services/brs/sqlite-notification-store.js';
import { TreatmentRelationService } from '../../../../src/services/brs/treatment-relation-service.js';
import { SqliteConsentStore } from '../../../../src/services/minspaerring/sqlite-consent-store.js';
import { author, documentEntry } from '../../../support/domain-builders.js';

const PRO = '1111111118';
const inst = (sor: string) => `Unit^^^^^&1.2.208.176.1.1&ISO^^^^${sor}`;
const request = (extra: Partial<TreatmentRelationRequest> = {}): TreatmentRelationRequest => ({
  patientCpr: '0101801234',
  healthcareProfessionalCpr: PRO,
  organisationIdentifier: { type: 'sor', id: '100002' },
  accessTime: '2026-11-28T09:00:00.000Z',
  ...extra,
});
const lineage = ['100002', '100001'];

describe('treatment relation categories', () => {
  it('A+: the professional authored a document within the period', () => {
    const d = documentEntry({ creationTime: '20261101', authors: [author(`${PRO}^Hansen`)] });
    expect(judgeRelation(request(), { documents: [d], requesterLineage: lineage }).category).toBe('A+');
  });
  it('A: a document from the own unit covers the access time', () => {
    const d = documentEntry({ creationTime: '20261127', serviceStartTime: '20261127', serviceStopTime: undefined, authors: [author('x^y', { institutions: [inst('100002')] })] });
    expect(judgeRelation(request(), { documents: [d], requesterLineage: lineage }).category).toBe('A');
  });
  it('B+: a document from the same treatment site within the period', () => {
    const d = documentEntry({ creationTime: '20261001', serviceStartTime: '20261001', serviceStopTime: '20261002', authors: [author('x^y', { institutions: [inst('100001')] })] });
    expect(judgeRelation(request(), { documents: [d], requesterLineage: lineage }).category).toBe('B+');
  });
  it('B: own GP from the Sikrede register', () => {
    expect(judgeRelation(request(), { documents: [], requesterLineage: lineage, ownGp: { sorId: '100001' } }).category).toBe('B');
  });
  it('C: only older evidence; E: none; D: organisation not known in SOR', () => {
    const old = documentEntry({ creationTime: '20200101', serviceStartTime: '20200101', serviceStopTime: '20200102', authors: [author('x^y', { institutions: [inst('100002')] })] });
    expect(judgeRelation(request(), { documents: [old], requesterLineage: lineage }).category).toBe('C');
    expect(judgeRelation(request(), { documents: [], requesterLineage: lineage }).category).toBe('E');
    expect(judgeRelation(request(), { documents: [old], requesterLineage: [] }).category).toBe('D');
  });
  it('acceptable follows MinimumAcceptableRelation', () => {
    expect(judgeRelation(request({ minimumAcceptableRelation: ['A+', 'A', 'B'] }), { documents: [], requesterLineage: lineage }).acceptable).toBe(false);
    expect(judgeRelation(request({ minimumAcceptableRelation: 'ANY' }), { documents: [], requesterLineage: lineage }).acceptable).toBe(true);
  });
  it('reads HL7 DTM at any precision', () => {
    expect(dtmToMs('2026')).toBe(Date.UTC(2026, 0, 1));
    expect(dtmToMs('20261128091500')).toBe(Date.UTC(2026, 10, 28, 9, 15, 0));
    expect(dtmToMs('x')).toBeUndefined();
  });
});

describe('BRS follow-up notifications', () => {
  let store: SqliteBrsNotificationStore;
  let sor: SqliteConsentStore;
  beforeEach(async () => {
    store = new SqliteBrsNotificationStore(':memory:');
    sor = new SqliteConsentStore(':memory:');
    await sor.upsertSorUnits([{ sorId: '100001' }, { sorId: '100002', parentSorId: '100001' }]);
  });
  afterEach(async () => {
    await store.close();
    await sor.close();
  });

  it('numbers notifications in sequence per CVR, polled by offset, never twice per order', async () => {
    const relations = new TreatmentRelationService({ evidence: { documentsOf: async () => [documentEntry({ creationTime: '20261101', authors: [author(`${PRO}^H`)] })] }, sor });
    const handle = brsFollowUpHandler(relations, store);
    const job = (key: string, cvr: string) => ({ id: key, queue: 'brs.followup', key, attempts: 1, payload: request({ queryableCvr: cvr }) });
    await handle(job('k1', '30808460'));
    await handle(job('k2', '30808460'));
    await handle(job('k1', '30808460')); // a re-run after a crash
    await handle(job('k3', '11111111'));
    const all = await store.after('30808460', 0, 10);
    expect(all.map((n) => [n.seq, n.orderKey, n.relation.category])).toEqual([[1, 'k1', 'A+'], [2, 'k2', 'A+']]);
    expect((await store.after('30808460', 1, 10)).map((n) => n.seq)).toEqual([2]);
    expect((await store.after('11111111', 0, 10)).map((n) => n.seq)).toEqual([1]);
  });
});
