import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRS_NS, createBrsDescriptors } from '../../../../src/services/brs/descriptors.js';
import { brsFollowUpHandler, BRS_QUEUE } from '../../../../src/services/brs/brs-worker.js';
import { SqliteBrsNotificationStore } from '../../../../src/services/brs/sqlite-notification-store.js';
import { TreatmentRelationService } from '../../../../src/services/brs/treatment-relation-service.js';
import { SqliteConsentStore } from '../../../../src/services/minspaerring/sqlite-consent-store.js';
import { SqliteJobQueue } from '../../../../src/storage/queue-embedded/index.js';
import { author, documentEntry } from '../../../support/domain-builders.js';
import { allNamed, nspSoapHarness, textOf, type NspSoapHarness } from '../../hooks/support/nsp-soap.js';

const body = (inner: string) => `<brs:TreatmentRelationRequest xmlns:brs="${BRS_NS}">${inner}</brs:TreatmentRelationRequest>`;
const fields = (extra = '') =>
  `<brs:OrganisationIdentifier type="sor">100002</brs:OrganisationIdentifier><brs:PatientCpr>0101801234</brs:PatientCpr><brs:HealthProfessionalCpr>1111111118</brs:HealthProfessionalCpr>` +
  `<brs:MinimumAcceptableRelation>A+</brs:MinimumAcceptableRelation><brs:MinimumAcceptableRelation>A</brs:MinimumAcceptableRelation>${extra}`;

describe('BRS SOAP service', () => {
  let notifications: SqliteBrsNotificationStore;
  let sor: SqliteConsentStore;
  let queue: SqliteJobQueue;
  let h: NspSoapHarness;
  beforeAll(async () => {
    notifications = new SqliteBrsNotificationStore(':memory:');
    sor = new SqliteConsentStore(':memory:');
    await sor.upsertSorUnits([{ sorId: '100002' }]);
    queue = new SqliteJobQueue(':memory:', { pollIntervalMs: 20 });
    const recent = documentEntry({ creationTime: new Date(Date.now() - 86_400_000 * 3).toISOString().replace(/\D/g, '').slice(0, 14), authors: [author('1111111118^Hansen')] });
    const relations = new TreatmentRelationService({ evidence: { documentsOf: async () => [recent] }, sor });
    queue.process(BRS_QUEUE, brsFollowUpHandler(relations, notifications));
    h = nspSoapHarness([{ path: '/brs-nsp/service/brs', descriptors: createBrsDescriptors({ relations, notifications, queue }) }]);
  });
  afterAll(async () => {
    h.dispose();
    await queue.close();
    await notifications.close();
    await sor.close();
  });

  it('judges the relation and, with Followup, files a numbered notification polled by offset', async () => {
    const r = await h.call('/brs-nsp/service/brs', 'TreatmentRelation', body(fields('<brs:ExternalReferenceId>ext-1</brs:ExternalReferenceId><brs:QueryableCvr>30808460</brs:QueryableCvr><brs:Followup>true</brs:Followup>')));
    expect(textOf(r.body, 'Relation')).toBe('A+');
    expect(textOf(r.body, 'Acceptable')).toBe('true');
    let list: ReturnType<typeof allNamed> = [];
    for (let i = 0; i < 100 && list.length === 0; i++) {
      await new Promise((res) => setTimeout(res, 20));
      const n = await h.call('/brs-nsp/service/brs', 'GetNotifications', `<brs:GetNotificationsRequest xmlns:brs="${BRS_NS}"><brs:QueryableCvr>30808460</brs:QueryableCvr><brs:Offset>0</brs:Offset></brs:GetNotificationsRequest>`);
      list = allNamed(n.body, 'Notification');
    }
    expect(list.map((n) => [textOf(n, 'SequenceNumber'), textOf(n, 'ExternalReferenceId'), textOf(n, 'Relation')])).toEqual([['1', 'ext-1', 'A+']]);
    const after = await h.call('/brs-nsp/service/brs', 'GetNotifications', `<brs:GetNotificationsRequest xmlns:brs="${BRS_NS}"><brs:QueryableCvr>30808460</brs:QueryableCvr><brs:Offset>1</brs:Offset></brs:GetNotificationsRequest>`);
    expect(allNamed(after.body, 'Notification')).toHaveLength(0);
    expect(textOf(after.body, 'NextOffset')).toBe('1');
  });

  it('rejects bad input and other callers\' notifications', async () => {
    const bad = await h.call('/brs-nsp/service/brs', 'TreatmentRelation', body(fields('<brs:MinimumAcceptableRelation>Z</brs:MinimumAcceptableRelation>')));
    expect(bad.body.name).toBe('Fault');
    expect(bad.text).toContain('MinimumAcceptableRelation "Z"');
    const other = await h.call('/brs-nsp/service/brs', 'GetNotifications', `<brs:GetNotificationsRequest xmlns:brs="${BRS_NS}"><brs:QueryableCvr>11111111</brs:QueryableCvr></brs:GetNotificationsRequest>`);
    expect(other.body.name).toBe('Fault');
    expect(other.text).toContain('may not read the notifications of CVR 11111111');
  });
});
