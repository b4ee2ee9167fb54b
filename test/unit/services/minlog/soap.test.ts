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
    // Entries 2 and 3 pass the XSD (whitespace is a string of length >= 1) but say nothing: a blank Activity, a
    // blank PersonIdentifier. They fail on their own; the valid entry is added.
    const r = await h.call('/minlog', 'AddRegistrations', add(entry('1') + entry('2', '   ') + entry('3').replace(`>${CPR}<`, '>          <')));
    expect(r.body.name).toBe('RegistrationResponse');
    expect(textOf(r.body, 'NumberAdded')).toBe('1');
    expect(textOf(r.body, 'NumberFailed')).toBe('2');
    expect(allNamed(r.body, 'SequenceNumber').map((e) => e.text)).toEqual(['2', '3']);
    expect(allNamed(r.body, 'FaultText').map((e) => e.text)).toEqual(['Activity is required', 'PersonIdentifier is required']);
    expect(h.schemas.validate('minlog2', r.text, { target: 'soap-body' })).toEqual([]);
    await h.call('/minlog', 'AddRegistrations', add(entry('1')));
    expect(await store.count()).toBe(1);
  });

  it('AddRegistrations refuses a body the MinLog2 XSD refuses, as a whole, with the schema message; nothing is added', async () => {
    const before = await store.count();
    // Each entry passes the hub's own per-entry checks; the XSD refuses all three (RestrictedDateTimeType is an
    // xs:dateTime, AdditionType has minLength 1, DestinationForEntryForRegistrationType is a sequence).
    const notXsdDateTime = entry('10', 'Opslag i journal', '2026-11-20 10:00');
    const emptyAddition = entry('11').replace('<Addition>Værdispring</Addition>', '<Addition/>');
    const outOfOrder = entry('12').replace(/(<UserPersonIdentifier[^>]*>[^<]*<\/UserPersonIdentifier>)(<UserRole>[^<]*<\/UserRole>)/, '$2$1');
    for (const bad of [notXsdDateTime, emptyAddition, outOfOrder]) {
      const r = await h.call('/minlog', 'AddRegistrations', add(entry('9') + bad));
      expect(r.status).toBe(200);
      expect(r.body.name).toBe('RegistrationResponse');
      expect(textOf(r.body, 'FaultCode')).toBe('invalid_request');
      expect(textOf(r.body, 'FaultText')).toMatch(/^schema validation of \{http:\/\/www\.sundhedsdatastyrelsen\.dk\/minlog\/xml\.schema\/2025\/03\/12\/minlog2-registration\.xsd\}RegistrationRequest failed: .*Element '(DateTime|Addition|UserRole)'/);
      expect(textOf(r.body, 'NumberAdded')).toBe('0');
      // both entries of the refused request failed, the valid one included: nothing was added
      expect(textOf(r.body, 'NumberFailed')).toBe('2');
      expect(h.schemas.validate('minlog2', r.text, { target: 'soap-body' })).toEqual([]);
    }
    expect(await store.count()).toBe(before);
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
