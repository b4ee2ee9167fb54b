import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMinLogDescriptors, MINLOG1_NS, MINLOG2_NS } from '../../../../src/services/minlog/descriptors.js';
import { SqliteMinLogStore } from '../../../../src/services/minlog/sqlite-minlog-store.js';
import { allNamed, nspSoapHarness, textOf, type NspSoapHarness } from '../../hooks/support/nsp-soap.js';

const CPR = '0101801234';
function entry(seq: string, activity = 'Opslag i journal', dateTime = '2026-11-20T10:00:00Z'): string {
  return (
    `<LogDataEntry><Source><CorrelationId>c-1</CorrelationId><SystemName>EPJ</SystemName></Source><Destination>` +
    `<SystemName>EPJ Test</SystemName><Activity>${activity}</Activity><Addition>Værdispring</Addition><DateTime>${dateTime}</DateTime>` +
    `<OrganisationId source="SOR">100002</OrganisationId><PersonIdentifier source="CPR">${CPR}</PersonIdentifier>` +
    `<CorrelationId>corr-1</CorrelationId><SequenceNumber>${seq}</SequenceNumber>` +
    `<UserPersonIdentifier source="CPR">1111111118</UserPersonIdentifier><UserRole>Læge</UserRole></Destination></LogDataEntry>`
  );
}
const add = (entries: string) => `<minlog:RegistrationRequest xmlns:minlog="${MINLOG2_NS}">${entries}</minlog:RegistrationRequest>`;

describe('MinLog SOAP service', () => {
  let store: SqliteMinLogStore;
  let h: NspSoapHarness;
  beforeAll(() => {
    store = new SqliteMinLogStore(':memory:');
    h = nspSoapHarness([{ path: '/minlog', descriptors: createMinLogDescriptors(store) }]);
  });
  afterAll(async () => {
    h.dispose();
    await store.close();
  });

  it('AddRegistrations adds valid entries, reports invalid ones by SequenceNumber, and is idempotent', async () => {
    const r = await h.call('/minlog', 'AddRegistrations', add(entry('1') + entry('2', '') + entry('3', 'Hentning', '2014-01-01T00:00:00Z')));
    expect(r.body.name).toBe('RegistrationResponse');
    expect(textOf(r.body, 'NumberAdded')).toBe('1');
    expect(textOf(r.body, 'NumberFailed')).toBe('2');
    expect(allNamed(r.body, 'SequenceNumber').map((e) => e.text)).toEqual(['2', '3']);
    await h.call('/minlog', 'AddRegistrations', add(entry('1')));
    expect(await store.count()).toBe(1);
  });

  it('ListLogStatements extracts the citizen log by period in the MinLog1 shape; a citizen only their own', async () => {
    const req = (from: string) => `<ml:ListLogStatementsRequest xmlns:ml="${MINLOG1_NS}"><cprNR>${CPR}</cprNR><fraDato>${from}</fraDato></ml:ListLogStatementsRequest>`;
    const hsuid = { userType: 'nsi:Citizen' as const, actingUserCpr: CPR, citizenCpr: CPR, systemName: 'sundhed.dk' };
    const r = await h.call('/minlog', 'ListLogStatements', req('2026-11-01T00:00:00Z'), { hsuid });
    expect(r.body.attrs.cprNrBorger).toBe(CPR);
    const entries = allNamed(r.body, 'LogEntry');
    expect(entries).toHaveLength(1);
    expect(textOf(entries[0]!, 'handling')).toBe('Opslag i journal (Værdispring)');
    expect(textOf(entries[0]!, 'bruger')).toBe('1111111118');
    expect(allNamed(r.body, 'brugerOrganisation')[0]!.attrs.NameFormat).toBe('medcom:sor');
    const later = await h.call('/minlog', 'ListLogStatements', req('2026-11-21T00:00:00Z'), { hsuid });
    expect(allNamed(later.body, 'LogEntry')).toHaveLength(0);
    const other = await h.call('/minlog', 'ListLogStatements', req('2026-11-01T00:00:00Z'), { hsuid: { ...hsuid, actingUserCpr: '0202801234' } });
    expect(other.body.name).toBe('Fault');
  });
});
