/**
 * Fake transaction descriptors for the SOAP endpoint tests: real IHE request/response shapes (so the
 * official schemas validate them), trivial handlers that record what they received.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { TransactionDescriptor } from '../../../src/xds/transactions/descriptor.js';
import { ErrorCode, XdsError, type RegistryErrorEntry } from '../../../src/xds/errors.js';
import { descendants } from '../../../src/xml/tree.js';
import { escapeAttr, escapeText } from '../../../src/xml/escape.js';

export const NS = {
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  xdsb: 'urn:ihe:iti:xds-b:2007',
};
export const ACTIONS = {
  query: 'urn:ihe:iti:2007:RegistryStoredQuery',
  pnr: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  retrieve: 'urn:ihe:iti:2007:RetrieveDocumentSet',
};
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';

function errorList(errors: RegistryErrorEntry[]): string {
  return `<rs:RegistryErrorList>${errors
    .map((e) => `<rs:RegistryError errorCode="${escapeAttr(e.errorCode)}" codeContext="${escapeAttr(e.codeContext)}" severity="${e.severity}"${e.location ? ` location="${escapeAttr(e.location)}"` : ''}/>`)
    .join('')}</rs:RegistryErrorList>`;
}
export function registryResponse(errors: RegistryErrorEntry[]): string {
  return `<rs:RegistryResponse xmlns:rs="${NS.rs}" status="${errors.length ? FAILURE : SUCCESS}">${errors.length ? errorList(errors) : ''}</rs:RegistryResponse>`;
}

export interface Received {
  /** per PnR document id: size and sha1 of the streamed content. */
  documents: Record<string, { size: number; sha1: string; kind: string }>;
  actions: string[];
}

const base = {
  securityPolicy: 'none',
  readPath: false,
  auditEvent: 'test',
};

export function fakeDescriptors(received: Received): TransactionDescriptor[] {
  const query: TransactionDescriptor = {
    ...base,
    id: 'ITI-18',
    name: 'Registry Stored Query',
    action: ACTIONS.query,
    responseAction: `${ACTIONS.query}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.query, name: 'AdhocQueryRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    async handle(request) {
      received.actions.push(request.action);
      const id = descendants(request.body, NS.rim, 'AdhocQuery')[0]?.attrs.id ?? '';
      if (id === 'urn:uuid:xds-error') throw new XdsError(ErrorCode.UnknownStoredQuery, `unknown stored query ${id}`);
      if (id === 'urn:uuid:crash') throw new Error('database exploded at /secret/path.ts:42');
      if (id === 'urn:uuid:soap-fault') throw new (await import('../../../src/soap/types.js')).SoapFault('Sender', 'refused by the handler');
      return {
        bodyXml: `<query:AdhocQueryResponse xmlns:query="${NS.query}" xmlns:rim="${NS.rim}" status="${SUCCESS}"><rim:RegistryObjectList><rim:ObjectRef id="${escapeAttr(id)}"/></rim:RegistryObjectList></query:AdhocQueryResponse>`,
        headersXml: ['<t:Echo xmlns:t="urn:test">handled</t:Echo>'],
      };
    },
    errorResponse: (errors) =>
      `<query:AdhocQueryResponse xmlns:query="${NS.query}" xmlns:rs="${NS.rs}" status="${FAILURE}">${errorList(errors)}</query:AdhocQueryResponse>`,
  };
  const pnr: TransactionDescriptor = {
    ...base,
    id: 'ITI-41',
    name: 'Provide and Register Document Set-b',
    action: ACTIONS.pnr,
    responseAction: `${ACTIONS.pnr}Response`,
    endpoints: ['repository'],
    requestElement: { ns: NS.xdsb, name: 'ProvideAndRegisterDocumentSetRequest' },
    schema: 'repository',
    metadataErrorCode: ErrorCode.RepositoryMetadataError,
    async handle(request) {
      received.actions.push(request.action);
      for (const el of request.body.children.filter((c) => c.ns === NS.xdsb && c.name === 'Document')) {
        const content = request.documentContent(el);
        const hash = createHash('sha1');
        let size = 0;
        const stream = content.kind === 'inline' ? Readable.from([content.bytes]) : content.attachment.open();
        for await (const chunk of stream) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        received.documents[el.attrs.id] = { size, sha1: hash.digest('hex'), kind: content.kind };
      }
      return { bodyXml: registryResponse([]) };
    },
    errorResponse: registryResponse,
  };
  const retrieve: TransactionDescriptor = {
    ...base,
    id: 'ITI-43',
    name: 'Retrieve Document Set',
    action: ACTIONS.retrieve,
    responseAction: `${ACTIONS.retrieve}Response`,
    endpoints: ['repository'],
    requestElement: { ns: NS.xdsb, name: 'RetrieveDocumentSetRequest' },
    schema: 'repository',
    metadataErrorCode: ErrorCode.RepositoryMetadataError,
    readPath: true,
    async handle(request) {
      received.actions.push(request.action);
      const ids = descendants(request.body, NS.xdsb, 'DocumentUniqueId').map((e) => e.text.trim());
      const docs = ids.map((id, i) => ({ id, cid: `${i + 1}.doc@xds-hub`, bytes: Buffer.from(`content of ${id}`) }));
      return {
        bodyXml:
          `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="${NS.xdsb}" xmlns:rs="${NS.rs}"><rs:RegistryResponse status="${SUCCESS}"/>` +
          docs
            .map(
              (d) =>
                `<xdsb:DocumentResponse><xdsb:RepositoryUniqueId>1.2.3</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${escapeText(d.id)}</xdsb:DocumentUniqueId>` +
                `<xdsb:mimeType>text/plain</xdsb:mimeType><xdsb:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${encodeURIComponent(d.cid)}"/></xdsb:Document></xdsb:DocumentResponse>`,
            )
            .join('') +
          `</xdsb:RetrieveDocumentSetResponse>`,
        attachments: docs.map((d) => ({ contentId: d.cid, contentType: 'text/plain', open: () => Readable.from([d.bytes]) })),
      };
    },
    errorResponse: (errors) =>
      `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="${NS.xdsb}">${registryResponse(errors)}</xdsb:RetrieveDocumentSetResponse>`,
  };
  return [query, pnr, retrieve];
}

export const QUERY_BODY = (id = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d') =>
  `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}"><query:ResponseOption returnType="ObjectRef" returnComposedObjects="true"/><rim:AdhocQuery id="${id}"/></query:AdhocQueryRequest>`;

export function pnrBody(documents: { id: string; content: string }[]): string {
  return (
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}" xmlns:lcm="${NS.lcm}" xmlns:rim="${NS.rim}">` +
    `<lcm:SubmitObjectsRequest><rim:RegistryObjectList/></lcm:SubmitObjectsRequest>` +
    documents.map((d) => `<xdsb:Document id="${d.id}">${d.content}</xdsb:Document>`).join('') +
    `</xdsb:ProvideAndRegisterDocumentSetRequest>`
  );
}

export const xopInclude = (cid: string) => `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${cid}"/>`;

export const RETRIEVE_BODY = `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}"><xdsb:DocumentRequest><xdsb:RepositoryUniqueId>1.2.3</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>1.2.3.4</xdsb:DocumentUniqueId></xdsb:DocumentRequest><xdsb:DocumentRequest><xdsb:RepositoryUniqueId>1.2.3</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>1.2.3.5</xdsb:DocumentUniqueId></xdsb:DocumentRequest></xdsb:RetrieveDocumentSetRequest>`;
