/**
 * FindDocumentsForMultiplePatients (ITI-51, ITI TF-2b §3.51.4.1.2): FindDocuments with an optional list of
 * patient ids (absent = every patient). To keep the result bounded the TF requires at least one of
 * $XDSDocumentEntryClassCode, $XDSDocumentEntryEventCodeList or $XDSDocumentEntryHealthcareFacilityTypeCode
 * (NIST 12364 "nothing" expects a Failure without them).
 */
import { ErrorCode, XdsError } from '../errors.js';
import { compileDocumentEntrySearch, documentEntrySearchSpecs, P } from './document-entry-params.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_DOCUMENTS_MULTI_PATIENT_ID = 'urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f';

export const findDocumentsForMultiplePatients: StoredQuery = {
  id: FIND_DOCUMENTS_MULTI_PATIENT_ID,
  name: 'FindDocumentsForMultiplePatients',
  multiPatient: true,
  params: {
    [P.patientId]: { kind: 'string', multiple: true },
    ...documentEntrySearchSpecs,
  },
  async execute(params: QueryParams, store, options) {
    if (![P.classCode, P.eventCodeList, P.healthcareFacilityTypeCode].some((n) => params.has(n))) {
      throw new XdsError(
        ErrorCode.StoredQueryMissingParam,
        `FindDocumentsForMultiplePatients needs at least one of ${P.classCode}, ${P.eventCodeList}, ${P.healthcareFacilityTypeCode}`,
      );
    }
    const patientIds = params.list(P.patientId);
    const cap = new ResultCap(options.maxResults);
    const filter = { ...compileDocumentEntrySearch(params), ...(patientIds && { patientIds }) };
    const docs = cap.check(await store.findDocumentEntries(filter, cap.findOptions));
    return { objects: docs, requestedPatientIds: patientIds ?? [] };
  },
};
