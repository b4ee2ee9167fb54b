import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { decodeProvideAndRegister } from '../../../src/xds/ebrim/pnr.js';
import { decodeRetrieveRequest, retrieveResponseXml } from '../../../src/xds/ebrim/retrieve.js';
import { ErrorCode, Severity, XdsError } from '../../../src/xds/errors.js';
import { parseXml } from '../../../src/xml/parse.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import { conformanceXml, hasConformance } from './fixtures.js';

const schemas = createSchemaSet(path.resolve('schemas'));
afterAll(() => schemas.dispose());

const XDSB = 'urn:ihe:iti:xds-b:2007';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof XdsError) return e.errors[0]!.errorCode;
    throw e;
  }
  return undefined;
}

describe('decodeProvideAndRegister', () => {
  it.skipIf(!hasConformance)('splits the IHE PnR sample into metadata and documents', () => {
    const pnr = decodeProvideAndRegister(conformanceXml('ihe-examples/XDS.b/ProvideAndRegisterDocumentSet-bRequest.xml'));
    expect(pnr.documents.map((d) => d.id)).toEqual(['Document01']);
    expect(pnr.documents[0]!.element.text).toBe('UjBsR09EbGhjZ0dTQUxNQUFBUUNBRU1tQ1p0dU1GUXhEUzhi');
    expect(decodeSubmission(pnr.submitObjectsRequest).documents[0]!.entryUuid).toBe('Document01');
  });

  it('rejects a missing SubmitObjectsRequest, a Document without id and duplicate ids', () => {
    expect(errorCode(() => decodeProvideAndRegister(parseXml(`<Wrong xmlns="${XDSB}"/>`)))).toBe(ErrorCode.RepositoryMetadataError);
    expect(errorCode(() => decodeProvideAndRegister(parseXml(`<ProvideAndRegisterDocumentSetRequest xmlns="${XDSB}"/>`)))).toBe(ErrorCode.RepositoryMetadataError);
    const sor = '<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"/>';
    expect(errorCode(() => decodeProvideAndRegister(parseXml(`<ProvideAndRegisterDocumentSetRequest xmlns="${XDSB}">${sor}<Document>AA==</Document></ProvideAndRegisterDocumentSetRequest>`)))).toBe(
      ErrorCode.RepositoryMetadataError,
    );
    expect(
      errorCode(() =>
        decodeProvideAndRegister(parseXml(`<ProvideAndRegisterDocumentSetRequest xmlns="${XDSB}">${sor}<Document id="a">AA==</Document><Document id="a">AA==</Document></ProvideAndRegisterDocumentSetRequest>`)),
      ),
    ).toBe(ErrorCode.RepositoryMetadataError);
  });
});

describe('retrieve', () => {
  it.skipIf(!hasConformance)('decodes the IHE RetrieveDocumentSetRequest sample', () => {
    expect(decodeRetrieveRequest(conformanceXml('ihe-examples/XDS.b/RetrieveDocumentSetRequest.xml'))).toEqual([
      { repositoryUniqueId: '1.3.6.1.4...1000', documentUniqueId: '1.3.6.1.4...2300' },
      { repositoryUniqueId: '1.3.6.1.4...1000', documentUniqueId: '1.3.6.1.4...2301' },
    ]);
  });

  it('reads HomeCommunityId and rejects an empty DocumentUniqueId', () => {
    const req = (inner: string): string => `<RetrieveDocumentSetRequest xmlns="${XDSB}"><DocumentRequest>${inner}</DocumentRequest></RetrieveDocumentSetRequest>`;
    expect(decodeRetrieveRequest(parseXml(req('<HomeCommunityId>urn:oid:1.2</HomeCommunityId><RepositoryUniqueId>1.2</RepositoryUniqueId><DocumentUniqueId> 1.3 </DocumentUniqueId>')))).toEqual([
      { homeCommunityId: 'urn:oid:1.2', repositoryUniqueId: '1.2', documentUniqueId: '1.3' },
    ]);
    expect(errorCode(() => decodeRetrieveRequest(parseXml(req('<RepositoryUniqueId>1.2</RepositoryUniqueId><DocumentUniqueId/>'))))).toBe(ErrorCode.RepositoryError);
  });

  const doc = { repositoryUniqueId: '1.2', documentUniqueId: '1.3', mimeType: 'text/plain', contentId: 'doc1@xds-hub' };
  const err = { errorCode: ErrorCode.DocumentUniqueIdError, codeContext: 'unknown 1.4', severity: Severity.Error, location: '1.4' };

  it('builds Success / PartialSuccess / Failure responses with xop:Include', () => {
    const ok = parseXml(retrieveResponseXml([doc]));
    expect(ok.children[0]!.attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    const include = ok.children[1]!.children.at(-1)!.children[0]!;
    expect(include.name).toBe('Include');
    expect(include.attrs.href).toBe('cid:doc1@xds-hub');
    expect(parseXml(retrieveResponseXml([doc], [err])).children[0]!.attrs.status).toBe('urn:ihe:iti:2007:ResponseStatusType:PartialSuccess');
    const failure = retrieveResponseXml([], [err]);
    expect(parseXml(failure).children[0]!.attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(schemas.validate('repository', failure)).toEqual([]);
  });

  it('is schema-valid once the XOP include is replaced by its base64 bytes', () => {
    const xml = retrieveResponseXml([{ ...doc, homeCommunityId: 'urn:oid:1.2.3' }]).replace(/<xop:Include[^>]*\/>/, 'aGVsbG8=');
    expect(schemas.validate('repository', xml)).toEqual([]);
  });
});
