/**
 * The MinLog2 XML the hub sends is checked against the official registration schema
 * (schemas/nsp/minlog2/xsd/minlog2-registration_20250312.xsd, Sundhedsdatastyrelsen/ehdsi, MIT): the
 * AddRegistrations request minlog2-client would POST for the registrations minLogRegistrationsOf builds
 * from real-looking reads, captured at the fetch boundary and validated with the hub's compiled 'minlog2'
 * schema set (libxml2). Issue #5 left this unvalidated.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../../src/app.js';
import { minLogRegistrationsOf } from '../../../../src/hooks/minlog/minlog-registration.js';
import type { ReadRecord } from '../../../../src/hooks/types.js';
import type { SecurityContext } from '../../../../src/security/context.js';
import { MINLOG2_NS } from '../../../../src/services/minlog/descriptors.js';
import { createMinLog2Client } from '../../../../src/services/minlog/minlog2-client.js';
import type { MinLogRegistration } from '../../../../src/services/minlog/registration.js';
import type { SorHierarchy } from '../../../../src/services/minspaerring/ports.js';
import { parseXml } from '../../../../src/xml/parse.js';
import { createSchemaSet, NS } from '../../../../src/xml/schemas.js';
import { descendants, type XmlElement } from '../../../../src/xml/tree.js';
import { code, documentEntry } from '../../../support/domain-builders.js';

const schemas = createSchemaSet(path.join(PROJECT_ROOT, 'schemas'));
afterAll(() => schemas.dispose());

const CPR_OID = '1.2.208.176.1.2';
const CITIZEN_A = '0101801234';
const CITIZEN_B = '0202902345';
const pid = (cpr: string) => `${cpr}^^^&${CPR_OID}&ISO`;

/** SKS 1301011 (a hospital department) is SOR 265161000016007 in this test's SOR register. */
const sor: SorHierarchy = {
  toSor: async (org) => (org.id === '1301011' ? '265161000016007' : undefined),
  lineage: async (sorId) => [sorId],
};

/**
 * A DGWS user card (level 4) as contextFromCard builds it: a medical secretary working for a doctor
 * (HSUID responsible user), for a hospital department identified by its SKS code; the card's care
 * provider is the region's CVR.
 */
const secretary: SecurityContext = {
  tokenType: 'dgws-user',
  authLevel: 4,
  issuer: 'TEST1-NSP-STS',
  subjectCpr: '1111111118',
  subjectName: 'Søren Sekretær',
  careProvider: { type: 'cvrnumber', id: '29190925', name: 'Region Hovedstaden' },
  role: 'Lægesekretær',
  systemName: 'EPJ Sundhedsplatformen',
  hsuid: {
    userType: 'HEALTHCAREPROFESSIONAL',
    actingUserCpr: '1111111118',
    actingUserName: 'Søren Sekretær',
    responsibleUserCpr: '2222222226',
    responsibleUserName: 'Dorthe Overlæge Ærø-Åberg',
    responsibleUserAuthorizationCode: 'CBZ12',
    orgUsingId: { type: 'nsi:skscode', id: '1301011' },
    // longer than OrganisationNameType (200): the builder cuts it
    orgUsingName: `Rigshospitalet, Hjertecentret, Kardiologisk Klinik ${'og ambulatorium '.repeat(12)}`,
    consentOverride: true,
    systemName: 'Sundhedsplatformen EPJ version 2026.1', // longer than SystemNameType (25)
  },
  medcom: { messageId: 'urn:uuid:6b7c0e1e-3a2f-4f55-9d41-0c2b7b0f8a11', flowId: 'flow-1', securityLevel: 4 },
};

/** A GP's own DGWS user card without HSUID: the practice's ydernummer, the user's authorisation code. */
const gp: SecurityContext = {
  tokenType: 'dgws-user',
  authLevel: 4,
  subjectCpr: '3333333330',
  subjectName: 'Gitte Praktiserende Læge med et meget langt navn på over halvtreds tegn',
  careProvider: { type: 'ynumber', id: '012345', name: 'Lægerne i Byen' },
  role: 'Læge',
  authorizationCode: 'ABC12',
  systemName: 'XMO',
  medcom: { messageId: 'm-2' },
};

const receivedAt = new Date('2026-11-28T09:15:42.123Z');

/** ITI-43: the secretary retrieves three documents of two citizens, one marked R, opened by værdispring. */
const retrieveTwoCitizens: ReadRecord = {
  context: { requestId: '5f0e1d8c-0000-4000-8000-000000000001', receivedAt, transaction: 'ITI-43', security: secretary },
  patientIds: [pid(CITIZEN_A), pid(CITIZEN_B)],
  documents: [
    documentEntry({ patientId: pid(CITIZEN_A), confidentialityCodes: [code('N', '2.16.840.1.113883.5.25')] }),
    documentEntry({ patientId: pid(CITIZEN_A), confidentialityCodes: [code('R', '2.16.840.1.113883.5.25')] }),
    documentEntry({ patientId: pid(CITIZEN_B), confidentialityCodes: [code('N', '2.16.840.1.113883.5.25')] }),
  ],
  outcome: 'success',
  addition: 'Værdispring',
};

/** ITI-18: the GP lists one citizen's documents. */
const gpQuery: ReadRecord = {
  context: { requestId: '5f0e1d8c-0000-4000-8000-000000000002', receivedAt, transaction: 'ITI-18', security: gp },
  patientIds: [pid(CITIZEN_B)],
  documents: [documentEntry({ patientId: pid(CITIZEN_B) })],
  outcome: 'partial',
};

/** What createMinLog2Client POSTs for these entries, captured at the fetch boundary. */
async function sentEnvelope(entries: { key: string; registration: MinLogRegistration }[]): Promise<string> {
  const sent: string[] = [];
  const client = createMinLog2Client({
    url: 'http://minlog.invalid/minlog2-registration/20250312/RegisterService',
    securityHeaders: () => [],
    fetchImpl: async (_url, init) => {
      sent.push(String(init?.body));
      const answer = `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body><minlog:RegistrationResponse xmlns:minlog="${MINLOG2_NS}"><NumberAdded>${entries.length}</NumberAdded><NumberFailed>0</NumberFailed></minlog:RegistrationResponse></soap:Body></soap:Envelope>`;
      return new Response(answer, { status: 200, headers: { 'content-type': 'text/xml' } });
    },
  });
  expect(await client.add(entries)).toEqual({ added: entries.length, duplicates: 0 });
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

const destinations = (envelope: string): XmlElement[] => descendants(parseXml(envelope), '', 'Destination');
const names = (e: XmlElement): string[] => e.children.map((c) => c.name);

describe('MinLog2 XML against minlog2-registration_20250312.xsd', () => {
  it('the schema set compiles the vendored XSD and the hub uses the schema namespace', () => {
    expect(NS.minlog2).toBe(MINLOG2_NS);
    expect(schemas.validate('minlog2', `<m:RegistrationRequest xmlns:m="${MINLOG2_NS}"/>`)[0]).toMatch(/Missing child element.*LogDataEntry/);
  });

  it('the AddRegistrations request for a DGWS user reading two citizens (værdispring) and a GP query is schema-valid', async () => {
    const built = [...(await minLogRegistrationsOf(retrieveTwoCitizens, { systemName: 'DDS', sor })), ...(await minLogRegistrationsOf(gpQuery, { systemName: 'DDS', sor }))];
    expect(built.map((b) => b.registration.citizen.id)).toEqual([CITIZEN_A, CITIZEN_B, CITIZEN_B]);
    const envelope = await sentEnvelope(built);
    expect(schemas.validate('minlog2', envelope, { target: 'soap-body' })).toEqual([]);

    // Each entry on its own, so a failure names the entry (and the batch is not what makes it pass).
    for (const b of built) expect(schemas.validate('minlog2', await sentEnvelope([b]), { target: 'soap-body' }), b.key).toEqual([]);

    // The test covers every element the builder can produce: the secretary's entry for A carries them all.
    const [a, b, c] = destinations(envelope);
    expect(names(a!)).toEqual([
      'SystemName', 'Activity', 'Addition', 'Criticality', 'DateTime', 'OrganisationId', 'OrganisationName', 'PersonIdentifier',
      'CorrelationId', 'SequenceNumber', 'UserPersonIdentifier', 'UserPersonName', 'UserRole', 'OnBehalfOfPersonIdentifier', 'OnBehalfOfPersonName',
    ]);
    expect(a!.children.find((e) => e.name === 'Addition')!.text).toBe('Værdispring');
    expect(a!.children.find((e) => e.name === 'Criticality')!.text).toBe('Privatmarkeret');
    expect(a!.children.find((e) => e.name === 'OrganisationId')!.attrs).toEqual({ source: 'SOR' });
    expect(a!.children.find((e) => e.name === 'OrganisationName')!.text).toHaveLength(200);
    // citizen B's documents were all N: no Criticality for B (decided per citizen)
    expect(names(b!)).toEqual(names(a!).filter((n) => n !== 'Criticality'));
    // the GP: YDER organisation named by the card, no HSUID (no on-behalf-of, no Source/SystemName), name cut to 50
    expect(names(c!)).toEqual(['SystemName', 'Activity', 'DateTime', 'OrganisationId', 'OrganisationName', 'PersonIdentifier', 'CorrelationId', 'SequenceNumber', 'UserPersonIdentifier', 'UserPersonName', 'UserRole']);
    expect(c!.children.find((e) => e.name === 'OrganisationId')!.attrs).toEqual({ source: 'YDER' });
    expect(c!.children.find((e) => e.name === 'UserPersonName')!.text).toHaveLength(50);
    const sources = descendants(parseXml(envelope), '', 'LogDataEntry').map((e) => e.children.find((x) => x.name === 'Source'));
    expect(sources.map((s) => s && names(s))).toEqual([['CorrelationId', 'SystemName'], ['CorrelationId', 'SystemName'], ['CorrelationId']]);
  });

  it('every field of a MinLogRegistration (period, reason, filters, on-behalf-of role) serialises schema-valid', async () => {
    const full: MinLogRegistration = {
      systemName: 'DDS',
      activity: 'Hentning af dokument (Dokumentdelingsservice)',
      reason: 'Akut behandling',
      addition: 'Samtykke',
      criticality: 'Ingen',
      fromDateTime: '2026-11-28T09:00:00Z',
      toDateTime: '2026-11-28T09:30:00+01:00',
      organisation: { id: '12345678', source: 'CVR', name: 'Region & <Sjælland>' },
      citizen: { id: '0101801234', source: 'eCPR', name: 'Anne Borger' },
      user: { id: 'ABC12', source: 'Autorisation', name: 'Læge "Lars"', role: 'Læge' },
      onBehalfOf: { id: '2222222226', source: 'CPR', name: 'Dorthe Overlæge', role: 'Overlæge' },
      correlationId: 'c'.repeat(46),
      sequenceNumber: 's'.repeat(36),
      filters: ['Ikke borger', 'Ikke forældremyndigheds-indehaver'],
      source: { correlationId: 'msg-1', systemName: 'EPJ' },
    };
    const envelope = await sentEnvelope([{ key: 'k-full', registration: full }]);
    expect(schemas.validate('minlog2', envelope, { target: 'soap-body' })).toEqual([]);
    expect(names(destinations(envelope)[0]!)).toEqual([
      'SystemName', 'Activity', 'Reason', 'Addition', 'Criticality', 'FromDateTime', 'ToDateTime', 'OrganisationId', 'OrganisationName',
      'PersonIdentifier', 'PersonName', 'CorrelationId', 'SequenceNumber', 'UserPersonIdentifier', 'UserPersonName', 'UserRole',
      'OnBehalfOfPersonIdentifier', 'OnBehalfOfPersonName', 'OnBehalfOfUserRole', 'Filter', 'Filter',
    ]);
  });

  it('the schema check is not vacuous: a value past an XSD limit or an element out of order is refused', async () => {
    const [one] = await minLogRegistrationsOf(retrieveTwoCitizens, { systemName: 'DDS', sor });
    const envelope = await sentEnvelope([one!]);
    expect(schemas.validate('minlog2', envelope.replace('<SystemName>DDS</SystemName>', `<SystemName>${'D'.repeat(26)}</SystemName>`), { target: 'soap-body' })[0]).toMatch(/SystemName.*length/);
    const swapped = envelope.replace(/(<UserRole>[^<]*<\/UserRole>)(<OnBehalfOfPersonIdentifier[^>]*>[^<]*<\/OnBehalfOfPersonIdentifier>)/, '$2$1');
    expect(swapped).not.toBe(envelope);
    expect(schemas.validate('minlog2', swapped, { target: 'soap-body' })[0]).toMatch(/UserRole.*not expected/);
  });
});
