import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccessOutboxRecorder } from '../../../src/hooks/minlog/access-outbox-recorder.js';
import { minLogRegistrationsOf } from '../../../src/hooks/minlog/minlog-registration.js';
import { followUpOrdersOf } from '../../../src/hooks/brs/followup-order.js';
import { nspAuditRecordOf, createNspAuditRecorder } from '../../../src/hooks/audit/nsp-audit-recorder.js';
import type { ReadRecord } from '../../../src/hooks/types.js';
import type { SecurityContext } from '../../../src/security/context.js';
import { validateRegistration } from '../../../src/services/minlog/registration.js';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { code, documentEntry } from '../../support/domain-builders.js';

const CPR = '0101801234';
const PID = `${CPR}^^^&1.2.208.176.1.2&ISO`;
const at = new Date('2026-11-28T09:00:00Z');

const professional: SecurityContext = {
  tokenType: 'dgws-system',
  authLevel: 3,
  role: 'Læge',
  hsuid: {
    userType: 'HEALTHCAREPROFESSIONAL',
    actingUserCpr: '1111111118',
    actingUserName: 'Secretary Sørensen',
    responsibleUserCpr: '2222222226',
    responsibleUserName: 'Doctor Hansen',
    responsibleUserAuthorizationCode: 'ABC12',
    orgUsingId: { type: 'sor', id: '100002' },
    orgUsingName: 'Afdeling X',
    systemName: 'EPJ-Sys',
  },
  medcom: { messageId: 'msg-1' },
};

function record(security: SecurityContext, extra: Partial<ReadRecord> = {}): ReadRecord {
  return {
    context: { requestId: '5f0e1d8c-0000-4000-8000-000000000001', receivedAt: at, transaction: 'ITI-43', security },
    patientIds: [PID],
    documents: [documentEntry({ patientId: PID, confidentialityCodes: [code('R', '2.16.840.1.113883.5.25')] })],
    outcome: 'success',
    ...extra,
  };
}

describe('MinLog registration of a read', () => {
  it('fills the MinLog2 fields from the HSUID context and is XSD-valid', async () => {
    const [m] = await minLogRegistrationsOf(record(professional, { addition: 'Værdispring' }), { systemName: 'DDS' });
    expect(m!.key).toBe(`5f0e1d8c-0000-4000-8000-000000000001:${CPR}`);
    expect(m!.registration).toEqual({
      systemName: 'DDS',
      activity: 'Hentning af dokument (Dokumentdelingsservice)',
      addition: 'Værdispring',
      criticality: 'Privatmarkeret',
      dateTime: at.toISOString(),
      organisation: { id: '100002', source: 'SOR', name: 'Afdeling X' },
      citizen: { id: CPR, source: 'CPR' },
      user: { id: '1111111118', source: 'CPR', name: 'Secretary Sørensen', role: 'Læge' },
      onBehalfOf: { id: '2222222226', source: 'CPR', name: 'Doctor Hansen' },
      correlationId: '5f0e1d8c-0000-4000-8000-000000000001',
      source: { systemName: 'EPJ-Sys', correlationId: 'msg-1' },
    });
    expect(validateRegistration(m!.registration)).toEqual([]);
  });

  it('marks Privatmarkeret only for the citizen whose restricted document was read', async () => {
    const other = '0202902345';
    const otherPid = `${other}^^^&1.2.208.176.1.2&ISO`;
    const two = record(professional, {
      patientIds: [PID, otherPid],
      documents: [documentEntry({ patientId: PID, confidentialityCodes: [code('R', '2.16.840.1.113883.5.25')] }), documentEntry({ patientId: otherPid, confidentialityCodes: [code('N', '2.16.840.1.113883.5.25')] })],
    });
    const regs = await minLogRegistrationsOf(two, { systemName: 'DDS' });
    expect(regs.map((m) => [m.registration.citizen.id, m.registration.criticality])).toEqual([[CPR, 'Privatmarkeret'], [other, undefined]]);
  });

  it('registers nothing for the citizen reading their own data, for anonymous requests, or for failures', async () => {
    const self: SecurityContext = { tokenType: 'idws', authLevel: 3, hsuid: { userType: 'CITIZEN', actingUserCpr: CPR } };
    expect(await minLogRegistrationsOf(record(self), { systemName: 'DDS' })).toEqual([]);
    expect(await minLogRegistrationsOf(record({ tokenType: 'none', authLevel: 0 }), { systemName: 'DDS' })).toEqual([]);
    expect(await minLogRegistrationsOf(record(professional, { outcome: 'failure' }), { systemName: 'DDS' })).toEqual([]);
    const parent: SecurityContext = { tokenType: 'idws', authLevel: 3, hsuid: { userType: 'CITIZEN', actingUserCpr: '0303701234', citizenCivilRegistrationNumber: CPR } };
    expect(await minLogRegistrationsOf(record(parent), { systemName: 'DDS' })).toHaveLength(1);
  });

  it('the XSD limits are checked', () => {
    const errors = validateRegistration({ systemName: 'x'.repeat(26), activity: '', citizen: { id: CPR, source: 'CPR' }, user: { id: '1', source: 'Nurse' }, dateTime: '2014-12-31T23:59:59Z' });
    expect(errors).toEqual([
      'SystemName is longer than 25 characters',
      'Activity is required',
      'DateTime 2014-12-31T23:59:59Z is before 2015-01-01T00:00:00Z',
      'UserPersonIdentifier@source "Nurse" is not one of CPR, Autorisation, EuropeanHealthcareProfessional',
    ]);
    // RoleType maxLength 200 also bounds OnBehalfOfUserRole
    const onBehalf = { id: '2222222226', source: 'CPR', role: 'r'.repeat(201) };
    expect(validateRegistration({ systemName: 'DDS', activity: 'Opslag', dateTime: at.toISOString(), citizen: { id: CPR, source: 'CPR' }, user: { id: '1111111118', source: 'CPR' }, onBehalfOf: onBehalf })).toEqual([
      'OnBehalfOfUserRole is longer than 200 characters',
    ]);
  });
});

describe('BRS follow-up order of a read', () => {
  it('takes the §2.6 fields and is only ordered for professionals', () => {
    const [o] = followUpOrdersOf(record(professional), { externalReferenceId: 'dds', queryableCvr: '30808460' });
    expect(o!.order).toEqual({
      patientCpr: CPR,
      patientId: PID,
      healthcareProfessionalCpr: '1111111118',
      authorisationIdentifier: 'ABC12',
      organisationIdentifier: { type: 'sor', id: '100002' },
      externalReferenceId: 'dds:5f0e1d8c-0000-4000-8000-000000000001',
      queryableCvr: '30808460',
      accessTime: at.toISOString(),
      followup: true,
    });
    const citizen: SecurityContext = { tokenType: 'idws', authLevel: 3, hsuid: { userType: 'CITIZEN', actingUserCpr: '0303701234' } };
    expect(followUpOrdersOf(record(citizen), { externalReferenceId: 'dds', queryableCvr: '30808460' })).toEqual([]);
  });
});

describe('access outbox recorder', () => {
  let stores: SqliteStores;
  beforeEach(() => {
    stores = openSqliteStores(':memory:');
  });
  afterEach(() => stores.close());

  it('writes the MinLog registration and the BRS order in one commit, once per request and citizen', async () => {
    let notified = 0;
    const rec = createAccessOutboxRecorder({ store: stores.metadata, minlog: { systemName: 'DDS' }, brs: { externalReferenceId: 'dds', queryableCvr: '30808460' }, onCommitted: () => notified++ });
    await rec.record(record(professional));
    await rec.record(record(professional)); // a repeated record of the same request adds nothing
    const rows = await stores.metadata.readOutbox(10);
    expect(rows.map((r) => [r.queue, r.key])).toEqual([
      ['minlog.registration', `minlog:5f0e1d8c-0000-4000-8000-000000000001:${CPR}`],
      ['brs.followup', `brs:5f0e1d8c-0000-4000-8000-000000000001:${CPR}`],
    ]);
    expect(notified).toBe(2);
  });

  it('a failing commit fails the read (no unrecorded access)', async () => {
    const rec = createAccessOutboxRecorder({ store: { commit: () => Promise.reject(new Error('disk full')) }, minlog: { systemName: 'DDS' } });
    await expect(rec.record(record(professional))).rejects.toThrow('disk full');
  });
});

describe('NSP audit record', () => {
  it('has who, what, whose data and the outcome in the dk.sds.nsp.audit.log shape', async () => {
    const r = nspAuditRecordOf(record(professional, { outcome: 'partial', addition: 'Værdispring' }), 'xds-hub');
    expect(r.category).toBe('dk.sds.nsp.audit.log');
    expect(r.audit.operation).toBe('ITI-43');
    expect(r.audit.outcome).toBe('partial');
    expect(r.audit.idCardAttributes.actingUserCpr).toBe('1111111118');
    expect(r.audit.idCardAttributes.organisation).toBe('sor:100002');
    expect(r.audit.components[0]!.contexts[0]!.information).toEqual([
      { key: 'patientId', type: 'RPI', value: PID },
      { key: 'cpr', type: 'RPI', value: CPR },
    ]);
    const lines: string[] = [];
    await createNspAuditRecorder(createLogger('info', (l) => lines.push(l))).record(record(professional));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'audit', category: 'dk.sds.nsp.audit.log', audit: { requestId: '5f0e1d8c-0000-4000-8000-000000000001' } });
  });
});
