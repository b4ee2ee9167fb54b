/** XDSTooManyResults with a configurable cap (HubConfig.maxQueryResults; ITI TF-3 Table 4.2.4.1-2). */
import { describe, expect, it } from 'vitest';
import { FIND_DOCUMENTS_ID } from '../../../src/xds/queries/find-documents.js';
import { GET_ALL_ID } from '../../../src/xds/queries/get-all.js';
import { GET_SUBMISSION_SET_AND_CONTENTS_ID } from '../../../src/xds/queries/get-submission-set-and-contents.js';
import { APPROVED, DEPRECATED, list, q } from './fixture.js';
import { useHarness } from './harness.js';

const h = useHarness({ maxResults: 6 });

describe('XDSTooManyResults (cap 6 in this suite)', () => {
  it('exactly the cap is fine', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [
      ['$XDSDocumentEntryPatientId', q(h.a.patientId)],
      ['$XDSDocumentEntryStatus', list(APPROVED, DEPRECATED)],
    ]);
    expect(r.status).toBe('Success');
    expect(r.ids).toHaveLength(6);
  });
  it('above the cap is a Failure with XDSTooManyResults and no objects', async () => {
    const r = await h.xml(GET_ALL_ID, [
      ['$patientId', q(h.a.patientId)],
      ['$XDSDocumentEntryStatus', list(APPROVED)],
      ['$XDSSubmissionSetStatus', list(APPROVED)],
      ['$XDSFolderStatus', list(APPROVED)],
    ]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSTooManyResults']);
    expect(r.elements).toEqual([]);
    expect(h.hooks.accesses).toEqual([]);
  });
});

describe('XDSTooManyResults counts composed results too', () => {
  it('GetSubmissionSetAndContents with 11 objects exceeds a cap of 6', async () => {
    const r = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)]]);
    expect(r.errorCodes).toEqual(['XDSTooManyResults']);
    const small = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetUniqueId', q(h.a.ss[0].uniqueId)]]);
    expect(small.status).toBe('Success');
  });
});
