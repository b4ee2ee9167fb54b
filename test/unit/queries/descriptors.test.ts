/** ITI-18 / ITI-51 transaction descriptors: their named fields and that handle() answers through the service. */
import { describe, expect, it } from 'vitest';
import { createIti18Descriptor, ITI18_ACTION } from '../../../src/xds/transactions/iti18-registry-stored-query.js';
import { createIti51Descriptor, ITI51_ACTION } from '../../../src/xds/transactions/iti51-multi-patient-query.js';
import { FIND_DOCUMENTS_ID } from '../../../src/xds/queries/find-documents.js';
import { FIND_DOCUMENTS_MULTI_PATIENT_ID } from '../../../src/xds/queries/find-documents-multi-patient.js';
import { Severity } from '../../../src/xds/errors.js';
import type { SoapRequest } from '../../../src/soap/types.js';
import { APPROVED, CLASS, adhocRequest, list, q } from './fixture.js';
import { context, parseResponse, useHarness } from './harness.js';

const h = useHarness();

function soap(body: SoapRequest['body'], action: string): SoapRequest {
  return {
    version: '1.2',
    action,
    addressing: { action },
    headers: [],
    body,
    rawEnvelope: Buffer.alloc(0),
    attachments: new Map(),
    path: '/xds/registry',
    documentContent: () => {
      throw new Error('no documents in a query');
    },
  };
}

describe('ITI-18 descriptor', () => {
  it('declares the transaction', () => {
    const d = createIti18Descriptor(h.service);
    expect(d).toMatchObject({
      id: 'ITI-18',
      action: ITI18_ACTION,
      responseAction: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
      endpoints: ['registry'],
      requestElement: { ns: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', name: 'AdhocQueryRequest' },
      schema: 'registry',
      metadataErrorCode: 'XDSRegistryMetadataError',
      securityPolicy: 'xds-read',
      readPath: true,
      auditEvent: 'ITI-18',
    });
  });
  it('handles a FindDocuments request', async () => {
    const d = createIti18Descriptor(h.service);
    const body = adhocRequest(FIND_DOCUMENTS_ID, [['$XDSDocumentEntryPatientId', q(h.a.patientId)], ['$XDSDocumentEntryStatus', list(APPROVED)]]);
    const res = await d.handle(soap(body, ITI18_ACTION), context());
    expect(parseResponse(res.bodyXml).ids).toHaveLength(5);
  });
  it('errorResponse is an AdhocQueryResponse Failure', () => {
    const r = parseResponse(
      createIti18Descriptor(h.service).errorResponse([
        { errorCode: 'XDSRegistryMetadataError', codeContext: 'schema', severity: Severity.Error },
      ]),
    );
    expect(r.root.name).toBe('AdhocQueryResponse');
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSRegistryMetadataError']);
  });
});

describe('ITI-51 descriptor', () => {
  it('declares the transaction and answers multi-patient queries', async () => {
    const d = createIti51Descriptor(h.service);
    expect(d).toMatchObject({
      id: 'ITI-51',
      action: ITI51_ACTION,
      responseAction: 'urn:ihe:iti:2009:MultiPatientStoredQueryResponse',
      auditEvent: 'ITI-51',
      readPath: true,
      securityPolicy: 'xds-read',
    });
    const body = adhocRequest(
      FIND_DOCUMENTS_MULTI_PATIENT_ID,
      [['$XDSDocumentEntryStatus', list(APPROVED)], ['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^${CLASS}`)]],
      'ObjectRef',
    );
    const res = await d.handle(soap(body, ITI51_ACTION), context());
    expect(parseResponse(res.bodyXml).ids).toHaveLength(2);
  });
});
